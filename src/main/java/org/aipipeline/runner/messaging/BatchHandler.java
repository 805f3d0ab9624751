package org.aipipeline.runner.messaging;

import java.util.List;
import java.util.Map;

/**
 * Processes deliveries together, committing their effect once before it returns; the consumer
 * then acknowledges them all with one multiple-ack. Messages that can never succeed are answered
 * by index (they are dead-lettered with the exception's message as the reason, the rest are
 * acknowledged). Throwing means the whole batch failed in a way that may pass: the consumer then
 * handles each message alone, with the usual bounded retries.
 */
@FunctionalInterface
public interface BatchHandler {
    Map<Integer, RuntimeException> handle(List<IncomingMessage> messages) throws Exception;
}
