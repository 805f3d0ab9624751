package org.aipipeline.runner.messaging;

/**
 * CDI event: the broker returned an outbox message as unroutable, so retrying is pointless. The
 * area that wrote the message decides what that means (a pipeline fails with "node unreachable").
 * Fired synchronously; the row is deleted after the observers returned.
 */
public record OutboxUnroutable(OutboxEntry entry, String brokerReply) {}
