package org.aipipeline.runner.nodes.entity;

import java.time.Instant;
import java.util.List;

/** A node as {@code GET /Nodes} lists it: its procedures in advertised order. */
public record NodeView(String id, List<RegisteredProcedure> procedures, Instant lastAdvertisedAt, boolean available) {
    public NodeView {
        procedures = List.copyOf(procedures);
    }
}
