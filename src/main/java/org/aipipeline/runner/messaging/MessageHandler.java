package org.aipipeline.runner.messaging;

/**
 * Processes one delivery. Returning normally acknowledges it, so return only after the effect is
 * committed (calling a {@code @Stateless} EJB does that). Throw {@link RejectMessage} (or a 4xx
 * {@code RunnerException}) for a message that can never succeed; any other exception is taken as
 * transient and the message is retried a bounded number of times.
 */
@FunctionalInterface
public interface MessageHandler {
    void handle(IncomingMessage message) throws Exception;
}
