package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How many messages wait in a queue and how many consumers take from it, as the broker says
 * (a passive declare, which changes nothing), remembered for
 * {@code messaging.queue-depth.cache} so that a page of diagnoses or a polling dashboard asks
 * the broker about each queue at most once per period.
 */
@ApplicationScoped
public class QueueDepths {

    @Inject
    Broker broker;

    @Inject
    @ConfigProperty(name = "messaging.queue-depth.cache", defaultValue = "PT2S")
    Duration cacheFor;

    private final Clock clock = Clock.systemUTC();
    private final Map<String, QueueState> cache = new ConcurrentHashMap<>();
    /** One channel for every question; a passive declare of a missing queue closes it, so it is reopened then. */
    private Channel channel;

    /**
     * A queue as the broker saw it at {@code readAt}; {@code exists} false when it has no such queue.
     * {@code messages} counts the messages ready for delivery (not those a consumer holds unacknowledged).
     */
    public record QueueState(String queue, boolean exists, long messages, int consumers, Instant readAt) {

        /** {@code {"name", "exists", "messages", "consumers", "readAt"}}: how the node and diagnosis endpoints show it. */
        public JsonObject toJson() {
            return JsonCodecs.JSON
                    .createObjectBuilder()
                    .add("name", queue)
                    .add("exists", exists)
                    .add("messages", messages)
                    .add("consumers", consumers)
                    .add("readAt", readAt.toString())
                    .build();
        }
    }

    /**
     * The queue's state, at most {@code messaging.queue-depth.cache} old.
     *
     * @throws RunnerException.Unavailable the broker cannot be asked now (the message says why)
     */
    public QueueState of(String queue) {
        Instant now = clock.instant();
        QueueState cached = cache.get(queue);
        if (cached != null && cached.readAt().plus(cacheFor).isAfter(now)) {
            return cached;
        }
        QueueState state = ask(queue, now);
        cache.put(queue, state);
        return state;
    }

    private synchronized QueueState ask(String queue, Instant now) {
        try {
            if (channel == null || !channel.isOpen()) {
                channel = broker.openChannel();
            }
            AMQP.Queue.DeclareOk ok = channel.queueDeclarePassive(queue);
            return new QueueState(queue, true, ok.getMessageCount(), ok.getConsumerCount(), now);
        } catch (IOException e) {
            if (isNotFound(e)) {
                return new QueueState(queue, false, 0, 0, now);
            }
            throw new RunnerException.Unavailable("Cannot ask RabbitMQ about queue '" + queue + "': " + e.getMessage());
        }
    }

    /** A passive declare of a missing queue fails with a channel-level 404 (NOT_FOUND). */
    private static boolean isNotFound(IOException e) {
        return e.getCause() instanceof ShutdownSignalException signal
                && !signal.isHardError()
                && signal.getReason() instanceof AMQP.Channel.Close close
                && close.getReplyCode() == AMQP.NOT_FOUND;
    }

    @PreDestroy
    synchronized void close() {
        if (channel != null && channel.isOpen()) {
            try {
                channel.close();
            } catch (IOException | TimeoutException | ShutdownSignalException ignored) {
                // the connection is closing with the application anyway
            }
        }
    }
}
