package org.aipipeline.runner.messaging;

import com.rabbitmq.client.Channel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;

/**
 * Fire-and-forget publishing for best-effort signals (such as "these pipelines finished"): no
 * confirm, not mandatory, one long-lived channel. Whoever depends on the signal must have another
 * way to learn the same fact; a lost announcement only makes someone notice later.
 */
@ApplicationScoped
public class Announcer {

    private static final System.Logger LOG = System.getLogger(Announcer.class.getName());

    @Inject
    Broker broker;

    private Channel channel; // guarded by this

    /** Publishes if connected; returns whether the message left this process. Never throws. */
    public synchronized boolean announce(String exchange, String routingKey, MessageType type, byte[] body) {
        try {
            if (channel == null || !channel.isOpen()) {
                channel = broker.openChannel();
            }
            OutgoingMessage message = OutgoingMessage.of(exchange, routingKey, type, body);
            channel.basicPublish(exchange, routingKey, false, ConfirmedPublisher.envelope(message), body);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Announcement on {0} not sent: {1}", exchange, e.getMessage());
            channel = null;
            return false;
        }
    }
}
