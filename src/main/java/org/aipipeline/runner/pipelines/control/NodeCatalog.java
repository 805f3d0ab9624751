package org.aipipeline.runner.pipelines.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.nodes.entity.NodeChanged;
import org.aipipeline.runner.nodes.entity.ProcedureKey;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.control.TimedCache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The node registry as the planner sees it, served from memory: every procedure a request names
 * is looked up before planning (planning itself touches no database), and what was read stays
 * trusted for {@code pipelines.catalog.ttl}. An advert that changes a node on this instance
 * drops the cache at once; with several instances, a change another instance recorded is seen
 * here within the ttl. Availability is as fresh as the entry: a node that stops advertising is
 * still accepted for at most the ttl past its availability timeout.
 */
@ApplicationScoped
public class NodeCatalog {

    /** What one key resolves to; an unknown procedure is cached too (its node may still be known). */
    private record Lookup(RegisteredProcedure procedure, boolean nodeKnown) {}

    @Inject
    NodeRegistry registry;

    @Inject
    @ConfigProperty(name = "pipelines.catalog.ttl", defaultValue = "PT2S")
    Duration ttl;

    private TimedCache<ProcedureKey, Lookup> cache;

    @PostConstruct
    void init() {
        cache = new TimedCache<>(ttl, 10_000);
    }

    void nodeChanged(@Observes NodeChanged changed) {
        cache.clear();
    }

    /** A catalog answering for exactly the steps given (anything else is unknown). */
    public ProcedureCatalog forSteps(List<RequestedStep> steps) {
        List<ProcedureKey> keys = steps.stream()
                .filter(Objects::nonNull)
                .filter(step -> step.nodeId() != null && step.procedureId() != null)
                .map(step -> new ProcedureKey(step.nodeId(), step.procedureId()))
                .distinct()
                .toList();
        Map<ProcedureKey, Lookup> found = new HashMap<>();
        List<ProcedureKey> missing = new ArrayList<>();
        for (ProcedureKey key : keys) {
            Lookup lookup = cache.get(key);
            if (lookup == null) {
                missing.add(key);
            } else {
                found.put(key, lookup);
            }
        }
        if (!missing.isEmpty()) {
            found.putAll(load(missing));
        }
        Set<String> knownNodes = new HashSet<>();
        Map<ProcedureKey, RegisteredProcedure> procedures = new HashMap<>();
        found.forEach((key, lookup) -> {
            if (lookup.nodeKnown()) {
                knownNodes.add(key.nodeId());
            }
            if (lookup.procedure() != null) {
                procedures.put(key, lookup.procedure());
            }
        });
        return new ProcedureCatalog(knownNodes, procedures);
    }

    private Map<ProcedureKey, Lookup> load(List<ProcedureKey> keys) {
        Map<ProcedureKey, RegisteredProcedure> registered = registry.procedures(keys);
        List<String> unresolvedNodes = keys.stream()
                .filter(key -> !registered.containsKey(key))
                .map(ProcedureKey::nodeId)
                .distinct()
                .toList();
        Set<String> existing = unresolvedNodes.isEmpty() ? Set.of() : registry.existing(unresolvedNodes);
        Map<ProcedureKey, Lookup> loaded = new HashMap<>();
        for (ProcedureKey key : keys) {
            RegisteredProcedure procedure = registered.get(key);
            Lookup lookup =
                    procedure != null ? new Lookup(procedure, true) : new Lookup(null, existing.contains(key.nodeId()));
            cache.put(key, lookup);
            loaded.put(key, lookup);
        }
        return loaded;
    }
}
