package org.aipipeline.runner.messaging;

import java.util.Objects;
import java.util.UUID;

/**
 * One message to publish. The message id is chosen by the caller when it must stay stable across
 * retries (an outbox row publishes under its own id, so consumers can recognise a duplicate).
 */
public record OutgoingMessage(String exchange, String routingKey, MessageType type, byte[] body, String messageId) {

    public OutgoingMessage {
        Objects.requireNonNull(exchange, "exchange");
        Objects.requireNonNull(routingKey, "routingKey");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(messageId, "messageId");
    }

    /** A message with a fresh UUID as its id. */
    public static OutgoingMessage of(String exchange, String routingKey, MessageType type, byte[] body) {
        return new OutgoingMessage(
                exchange, routingKey, type, body, UUID.randomUUID().toString());
    }
}
