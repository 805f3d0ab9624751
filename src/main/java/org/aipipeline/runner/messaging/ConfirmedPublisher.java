package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Publishes with the envelope the protocol requires and returns only once the broker has taken
 * responsibility: persistent, {@code mandatory}, confirmed within the timeout.
 *
 * <p>Invariant: a confirm-mode channel is used by one thread at a time. A small pool of them
 * (at most {@code messaging.publisher.channels}) serves concurrent publishers; a channel that saw
 * a nack, a timeout or an error is closed rather than reused, because its outstanding confirms
 * would leak into the next publisher's wait.
 */
@ApplicationScoped
public class ConfirmedPublisher {

    private static final System.Logger LOG = System.getLogger(ConfirmedPublisher.class.getName());
    private static final String CONTENT_TYPE = "application/json";
    private static final int PERSISTENT = 2;

    @Inject
    Broker broker;

    private Duration confirmTimeout;
    private Semaphore permits;
    private final LinkedBlockingDeque<PublishingChannel> idle = new LinkedBlockingDeque<>();
    private volatile boolean closed;

    /** For CDI. */
    protected ConfirmedPublisher() {}

    /** For plain use and tests. */
    public ConfirmedPublisher(Broker broker, Duration confirmTimeout, int channels) {
        this.broker = broker;
        this.confirmTimeout = confirmTimeout;
        this.permits = new Semaphore(channels, true);
        broker.beforeClose(this::close);
    }

    @PostConstruct
    void init() {
        MessagingSettings settings =
                MessagingSettings.from(ConfigProvider.getConfig(ConfirmedPublisher.class.getClassLoader()));
        confirmTimeout = settings.confirmTimeout();
        permits = new Semaphore(settings.publisherChannels(), true);
        broker.beforeClose(this::close);
    }

    /**
     * Publishes one message under a fresh message id and waits for the broker's confirm.
     *
     * @return the message id
     * @throws Unroutable    the broker returned the message: nothing is bound for the routing key
     * @throws PublishFailed not connected, nacked, or not confirmed within the timeout
     */
    public String publish(String exchange, String routingKey, MessageType type, byte[] jsonBody) {
        OutgoingMessage message = OutgoingMessage.of(exchange, routingKey, type, jsonBody);
        publish(message);
        return message.messageId();
    }

    /** Publishes one message under its own id; see {@link #publish(String, String, MessageType, byte[])}. */
    public void publish(OutgoingMessage message) {
        String reply = send(List.of(message)).get(message.messageId());
        if (reply != null) {
            throw new Unroutable(message.exchange(), message.routingKey(), reply);
        }
    }

    /**
     * Publishes all messages on one channel, then waits once for all confirms: far faster than
     * one wait per message. All-or-error: a nack or timeout fails the whole batch (some messages
     * may have been routed, so a retry must tolerate duplicates).
     *
     * @return the messages the broker returned as unroutable (empty when all were routed)
     * @throws PublishFailed not connected, nacked, or not confirmed within the timeout
     */
    public List<OutgoingMessage> publishAll(List<OutgoingMessage> messages) {
        Map<String, String> returned = send(messages);
        return messages.stream()
                .filter(message -> returned.containsKey(message.messageId()))
                .toList();
    }

    /** Publishes and awaits the confirms; answers the broker's reply by message id for each returned message. */
    private Map<String, String> send(List<OutgoingMessage> messages) {
        if (messages.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<OutgoingMessage, AMQP.BasicProperties>> batch = new ArrayList<>(messages.size());
        for (OutgoingMessage message : messages) {
            batch.add(Map.entry(message, envelope(message)));
        }
        Map<String, String> returned = onChannel(channel -> {
            for (var entry : batch) {
                OutgoingMessage message = entry.getKey();
                channel.publish(message.exchange(), message.routingKey(), entry.getValue(), message.body());
            }
            return awaitConfirms(channel, messages.size());
        });
        returned.forEach((id, reply) -> LOG.log(Level.DEBUG, "Broker returned message {0}: {1}", id, reply));
        return returned;
    }

    /**
     * Publishes a message with properties of its caller's choosing (dead-lettering and retrying
     * keep a delivery's original properties), confirmed and {@code mandatory} like any other.
     *
     * @throws Unroutable    nothing is bound for the routing key
     * @throws PublishFailed not connected, nacked, or not confirmed within the timeout
     */
    public void forward(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
        String messageId =
                properties.getMessageId() != null ? properties.getMessageId() : "forwarded-" + System.nanoTime();
        AMQP.BasicProperties withId = properties.builder().messageId(messageId).build();
        String reply = onChannel(channel -> {
            channel.publish(exchange, routingKey, withId, body);
            return awaitConfirms(channel, 1).get(messageId);
        });
        if (reply != null) {
            throw new Unroutable(exchange, routingKey, reply);
        }
    }

    /** What is done on one pooled channel: publishing and awaiting the confirms. */
    private interface ChannelWork<T> {
        T on(PublishingChannel channel) throws IOException;
    }

    /**
     * Runs {@code work} on a channel from the pool; the channel goes back to the pool only if the
     * work finished (an unroutable message included), otherwise it is closed as suspect.
     *
     * @throws PublishFailed the work failed (its own PublishFailed as it is)
     */
    private <T> T onChannel(ChannelWork<T> work) {
        PublishingChannel channel = acquire();
        boolean healthy = false;
        try {
            T result = work.on(channel);
            healthy = true;
            return result;
        } catch (IOException | RuntimeException e) {
            if (e instanceof PublishFailed failed) {
                throw failed;
            }
            throw new PublishFailed("Publishing to RabbitMQ failed: " + e.getMessage(), e);
        } finally {
            release(channel, healthy);
        }
    }

    /** The envelope WolverineFx expects: JSON, persistent, a unique id and the .NET type name. */
    static AMQP.BasicProperties envelope(OutgoingMessage message) {
        Map<String, Object> headers = new HashMap<>();
        headers.put(MessageType.HEADER, message.type().dotnetName());
        return new AMQP.BasicProperties.Builder()
                .contentType(CONTENT_TYPE)
                .deliveryMode(PERSISTENT)
                .messageId(message.messageId())
                .timestamp(new Date())
                .headers(headers)
                .build();
    }

    /**
     * Waits for the confirms of everything published on the channel and answers the returned
     * messages. A nack fails the publish, except for a message that was also returned: Qpid
     * Broker-J nacks returned mandatory messages where RabbitMQ acks them, and both mean "unroutable".
     */
    private Map<String, String> awaitConfirms(PublishingChannel channel, int count) {
        try {
            boolean allAcked = channel.awaitConfirms(confirmTimeout.toMillis());
            if (!allAcked) {
                channel.awaitReturns();
            }
            Map<String, String> returned = channel.returned();
            if (!allAcked && !returned.keySet().containsAll(channel.nacked())) {
                throw new PublishFailed(
                        "RabbitMQ refused (nacked) " + (count == 1 ? "the message" : "a message of " + count));
            }
            return returned;
        } catch (IOException e) {
            throw new PublishFailed("RabbitMQ channel failed while confirming: " + e.getMessage(), e);
        } catch (TimeoutException e) {
            throw new PublishFailed("RabbitMQ did not confirm " + count + " message(s) within " + confirmTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailed("Interrupted while waiting for RabbitMQ's confirm", e);
        } catch (PublishFailed e) {
            throw e;
        } catch (RuntimeException e) { // ShutdownSignalException: the channel or connection closed meanwhile
            throw new PublishFailed("RabbitMQ channel closed before confirming: " + e.getMessage(), e);
        }
    }

    private PublishingChannel acquire() {
        if (closed) {
            throw new PublishFailed("Publisher is shut down");
        }
        try {
            if (!permits.tryAcquire(confirmTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new PublishFailed("No publishing channel free within " + confirmTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PublishFailed("Interrupted while waiting for a publishing channel", e);
        }
        try {
            PublishingChannel channel;
            while ((channel = idle.pollFirst()) != null) {
                if (channel.isOpen()) {
                    channel.reset();
                    return channel;
                }
                channel.close();
            }
            return new PublishingChannel(broker.openChannel());
        } catch (IOException | RuntimeException e) {
            permits.release();
            throw new PublishFailed("Cannot open a publishing channel: " + e.getMessage(), e);
        }
    }

    private void release(PublishingChannel channel, boolean healthy) {
        if (healthy && channel.isOpen() && !closed) {
            idle.offerFirst(channel);
        } else {
            channel.close();
        }
        permits.release();
    }

    @PreDestroy
    public void close() {
        closed = true;
        PublishingChannel channel;
        while ((channel = idle.pollFirst()) != null) {
            channel.close();
        }
    }
}
