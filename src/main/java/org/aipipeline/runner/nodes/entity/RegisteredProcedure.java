package org.aipipeline.runner.nodes.entity;

import java.time.Instant;
import org.aipipeline.runner.apscheme.ApElement;

/**
 * A procedure as the registry knows it, with its node's liveness: what pipelines validate
 * against. {@code available} is false when the node has not advertised within
 * {@code nodes.availability.timeout}; such a procedure must not start new pipelines.
 */
public record RegisteredProcedure(
        String nodeId,
        String procedureId,
        String schemaVersion,
        ApElement input,
        ApElement output,
        Instant lastAdvertisedAt,
        boolean available) {

    public ProcedureKey key() {
        return new ProcedureKey(nodeId, procedureId);
    }
}
