package org.aipipeline.runner.messaging;

/**
 * Thrown by a message handler when a message can never be processed (unparseable, unknown
 * pipeline, invalid content): {@link Deliveries} moves it to the dead-letter queue with this
 * message as the reason instead of redelivering it.
 */
public final class RejectMessage extends RuntimeException {

    public RejectMessage(String reason) {
        super(reason);
    }

    public RejectMessage(String reason, Throwable cause) {
        super(reason, cause);
    }
}
