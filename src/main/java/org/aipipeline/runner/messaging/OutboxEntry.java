package org.aipipeline.runner.messaging;

import java.util.UUID;

/** A message recorded in the outbox: its row id, the message itself and the pipeline it concerns (or null). */
public record OutboxEntry(long id, OutgoingMessage message, UUID pipelineId) {
}
