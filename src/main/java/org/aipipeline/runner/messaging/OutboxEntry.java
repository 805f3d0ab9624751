package org.aipipeline.runner.messaging;

/**
 * A message recorded in the outbox: its row id, the message itself and the sender's opaque
 * correlation key (or null), which comes back with it if the broker finds it unroutable.
 */
public record OutboxEntry(long id, OutgoingMessage message, String correlationKey) {}
