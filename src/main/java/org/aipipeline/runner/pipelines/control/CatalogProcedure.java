package org.aipipeline.runner.pipelines.control;

import org.aipipeline.runner.apscheme.ApElement;

/** What the planner needs to know about a node's procedure: its schemes and whether it can run now. */
public record CatalogProcedure(String nodeId, String procedureId, String schemaVersion, ApElement input,
                               ApElement output, boolean available) {
}
