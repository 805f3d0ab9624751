package org.aipipeline.runner.messaging;

/** A message to record in the outbox, with the sender's opaque correlation key (null if none). */
public record OutboxMessage(OutgoingMessage message, String correlationKey) {}
