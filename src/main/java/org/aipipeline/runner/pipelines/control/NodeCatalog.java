package org.aipipeline.runner.pipelines.control;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.nodes.entity.Node;
import org.aipipeline.runner.nodes.entity.ProcedureKey;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;

/**
 * The node registry as the planner sees it: every procedure a request names, read in one query
 * before planning, so planning itself touches no database.
 */
@Stateless
public class NodeCatalog {

    @Inject
    NodeRegistry registry;

    @PersistenceContext
    EntityManager em;

    /** A catalog answering for exactly the steps given (anything else is unknown). */
    public ProcedureCatalog forSteps(List<RequestedStep> steps) {
        List<ProcedureKey> keys = steps.stream().filter(Objects::nonNull)
                .filter(step -> step.nodeId() != null && step.procedureId() != null)
                .map(step -> new ProcedureKey(step.nodeId(), step.procedureId())).distinct().toList();
        Map<ProcedureKey, CatalogProcedure> found = new HashMap<>();
        registry.procedures(keys).forEach((key, procedure) -> found.put(key, toCatalog(procedure)));
        Set<String> knownNodes = new HashSet<>();
        for (ProcedureKey key : keys) {
            if (knownNodes.contains(key.nodeId())) {
                continue;
            }
            boolean known = found.keySet().stream().anyMatch(k -> k.nodeId().equals(key.nodeId()))
                    || em.find(Node.class, key.nodeId()) != null;
            if (known) {
                knownNodes.add(key.nodeId());
            }
        }
        return new ProcedureCatalog() {
            @Override
            public boolean knowsNode(String nodeId) {
                return knownNodes.contains(nodeId);
            }

            @Override
            public Optional<CatalogProcedure> procedure(String nodeId, String procedureId) {
                return Optional.ofNullable(found.get(new ProcedureKey(nodeId, procedureId)));
            }
        };
    }

    private static CatalogProcedure toCatalog(RegisteredProcedure procedure) {
        return new CatalogProcedure(procedure.nodeId(), procedure.procedureId(), procedure.schemaVersion(),
                procedure.input(), procedure.output(), procedure.available());
    }
}
