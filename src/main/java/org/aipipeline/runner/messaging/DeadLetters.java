package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Envelope;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves a message the runner gave up on to the dead-letter exchange, with why and where it came
 * from in headers. Done by republishing (confirmed) rather than by the queue's
 * {@code x-dead-letter-exchange}, which nodes of the original platform did not declare.
 */
final class DeadLetters {

    static final String REASON = "x-runner-rejection-reason";
    static final String ORIGINAL_QUEUE = "x-runner-original-queue";
    static final String ORIGINAL_EXCHANGE = "x-runner-original-exchange";
    static final String ORIGINAL_ROUTING_KEY = "x-runner-original-routing-key";
    static final String DEAD_LETTERED_AT = "x-runner-dead-lettered-at";

    private static final System.Logger LOG = System.getLogger(DeadLetters.class.getName());
    private static final int MAX_REASON_LENGTH = 1_000;

    private final ConfirmedPublisher publisher;
    private final Topology topology;
    private final Counted counted;

    /** Told of every message dead-lettered, with its queue and the kind of reason ({@link #kindOf}). */
    @FunctionalInterface
    interface Counted {
        void deadLettered(String queue, String kind);
    }

    DeadLetters(ConfirmedPublisher publisher, Topology topology, Counted counted) {
        this.publisher = publisher;
        this.topology = topology;
        this.counted = counted;
    }

    /**
     * A reason's kind, few enough to be a metric tag: the runner's verdict ({@code not-found},
     * {@code invalid}, {@code conflict}, {@code bad-input}, …), {@code unreadable} for a body that
     * does not parse, {@code gave-up} after the last attempt, else the exception's simple name.
     */
    static String kindOf(Throwable cause) {
        if (cause == null) {
            return "gave-up";
        }
        if (cause instanceof IllegalArgumentException || cause instanceof jakarta.json.JsonException) {
            return "unreadable";
        }
        String name = cause.getClass().getSimpleName();
        return name.replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    ConfirmedPublisher publisher() {
        return publisher;
    }

    /**
     * Publishes the message to the dead-letter exchange and returns once the broker confirmed it.
     *
     * @throws PublishFailed the message could not be moved; the caller must not ack it
     */
    void send(
            String queue, Envelope envelope, AMQP.BasicProperties properties, byte[] body, String reason, String kind) {
        String shortReason =
                reason.length() > MAX_REASON_LENGTH ? reason.substring(0, MAX_REASON_LENGTH) + "…" : reason;
        Map<String, Object> headers =
                new HashMap<>(properties.getHeaders() == null ? Map.of() : properties.getHeaders());
        headers.put(REASON, shortReason);
        headers.put(ORIGINAL_QUEUE, queue);
        headers.put(ORIGINAL_EXCHANGE, envelope.getExchange());
        headers.put(ORIGINAL_ROUTING_KEY, envelope.getRoutingKey());
        headers.put(DEAD_LETTERED_AT, Instant.now().toString());
        publisher.forward(
                topology.deadLetterExchange(),
                queue,
                properties.builder().headers(headers).build(),
                body);
        LOG.log(
                Level.WARNING,
                "Dead-lettered message {0} from {1}: {2}",
                properties.getMessageId(),
                queue,
                shortReason);
        counted.deadLettered(queue, kind);
    }
}
