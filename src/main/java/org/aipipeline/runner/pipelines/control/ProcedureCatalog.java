package org.aipipeline.runner.pipelines.control;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.aipipeline.runner.nodes.entity.ProcedureKey;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;

/**
 * The planner's view of the node registry: the procedures a request names, as read before
 * planning, so {@link PipelinePlanner} stays a pure function of its inputs.
 *
 * @param knownNodes the nodes that ever advertised (tells "unknown node" from "unknown procedure")
 * @param procedures the procedures found, available or not
 */
public record ProcedureCatalog(Set<String> knownNodes, Map<ProcedureKey, RegisteredProcedure> procedures) {

    public ProcedureCatalog {
        knownNodes = Set.copyOf(knownNodes);
        procedures = Map.copyOf(procedures);
    }

    /** A catalog of exactly these procedures, whose nodes are known. */
    public static ProcedureCatalog of(RegisteredProcedure... procedures) {
        return new ProcedureCatalog(
                Arrays.stream(procedures).map(RegisteredProcedure::nodeId).collect(Collectors.toSet()),
                Arrays.stream(procedures).collect(Collectors.toMap(RegisteredProcedure::key, Function.identity())));
    }

    public boolean knowsNode(String nodeId) {
        return knownNodes.contains(nodeId);
    }

    public Optional<RegisteredProcedure> procedure(String nodeId, String procedureId) {
        return Optional.ofNullable(procedures.get(new ProcedureKey(nodeId, procedureId)));
    }
}
