package org.aipipeline.runner.pipelines.control;

import java.util.Optional;

/**
 * The planner's view of the node registry. An interface so that {@link PipelinePlanner} stays a
 * pure function of its inputs and is tested with a map.
 */
public interface ProcedureCatalog {

    /** Whether the node ever advertised (tells "unknown node" from "unknown procedure"). */
    boolean knowsNode(String nodeId);

    Optional<CatalogProcedure> procedure(String nodeId, String procedureId);
}
