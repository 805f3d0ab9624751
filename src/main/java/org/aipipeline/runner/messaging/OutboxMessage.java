package org.aipipeline.runner.messaging;

import java.util.UUID;

/** A message to record in the outbox, with the pipeline it concerns (null if none). */
public record OutboxMessage(OutgoingMessage message, UUID pipelineId) {
}
