package org.aipipeline.runner.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.Periodic;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends again what the outbox still holds after {@code pipelines.outbox.min-age}: messages whose
 * runner crashed (or lost the broker, or was nacked) between the commit and the confirm. Runs every
 * {@code pipelines.outbox.relay-interval} on the container's scheduler; several runner instances
 * may run it at once, {@link Outbox#claimDue} keeps them off each other's rows.
 */
@ApplicationScoped
public class OutboxRelay implements Periodic {

    private static final System.Logger LOG = System.getLogger(OutboxRelay.class.getName());
    private static final int CLAIM = 500;

    @Inject
    Outbox outbox;

    @Inject
    OutboxPublisher publisher;

    @Inject
    Broker broker;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.relay-interval", defaultValue = "PT5S")
    Duration interval;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration minAge;

    @Override
    public Duration interval() {
        return interval;
    }

    /** One round; a failed one leaves the rows to the next. */
    @Override
    public void runRound() {
        if (broker.isConnected()) {
            relayDue();
        }
    }

    /** Hands due rows to the publisher until none are left; returns how many were handed over. */
    public int relayDue() {
        int sent = 0;
        while (true) {
            List<OutboxEntry> due = outbox.claimDue(DatabaseTime.now(), CLAIM, minAge);
            if (due.isEmpty()) {
                return sent;
            }
            LOG.log(Level.INFO, "Relaying {0} outbox message(s) left unsent", due.size());
            publisher.send(due);
            sent += due.size();
            if (due.size() < CLAIM) {
                return sent;
            }
        }
    }
}
