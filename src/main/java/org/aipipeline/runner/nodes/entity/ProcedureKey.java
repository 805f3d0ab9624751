package org.aipipeline.runner.nodes.entity;

import java.util.Objects;

/** Names one procedure of one node, exactly (case-sensitive) as the node advertised it. */
public record ProcedureKey(String nodeId, String procedureId) {
    public ProcedureKey {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(procedureId, "procedureId");
    }
}
