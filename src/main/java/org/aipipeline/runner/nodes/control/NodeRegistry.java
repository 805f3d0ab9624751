package org.aipipeline.runner.nodes.control;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.aipipeline.runner.nodes.entity.Node;
import org.aipipeline.runner.nodes.entity.NodeAdvertised;
import org.aipipeline.runner.nodes.entity.NodeAdvertised.AdvertisedProcedure;
import org.aipipeline.runner.nodes.entity.NodeChanged;
import org.aipipeline.runner.nodes.entity.NodeProcedure;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.nodes.entity.ProcedureKey;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The nodes the runner has seen and their procedures.
 *
 * <p>Invariant: a node's procedure rows always match its {@code content_hash}, and an advert
 * whose content equals the stored one writes nothing but, at most once per
 * {@code nodes.advert.touch-interval}, the timestamp. A busy platform re-advertises constantly;
 * those adverts cost one UPDATE matching no row and one indexed read.
 */
@Stateless
public class NodeRegistry {

    private static final System.Logger LOG = System.getLogger(NodeRegistry.class.getName());

    /** What {@link #record} did. */
    public enum Outcome {
        CREATED,
        CHANGED,
        TOUCHED,
        UNCHANGED
    }

    @PersistenceContext
    EntityManager em;

    @Inject
    SchemeCache schemes;

    @Inject
    @ConfigProperty(name = "nodes.availability.timeout", defaultValue = "PT3M")
    Duration availabilityTimeout;

    @Inject
    @ConfigProperty(name = "nodes.advert.touch-interval", defaultValue = "PT10S")
    Duration touchInterval;

    @Inject
    Event<NodeChanged> nodeChanged;

    private NodeLiveness liveness;

    @PostConstruct
    void init() {
        liveness = new NodeLiveness(availabilityTimeout);
    }

    /** Upserts the advertised node: see the class comment for what is written when. */
    public Outcome record(NodeAdvertised advert, Instant at) {
        String nodeId = advert.nodeId();
        String hash = advert.contentHash();
        int touched = em.createNamedQuery(Node.TOUCH)
                .setParameter("at", at)
                .setParameter("id", nodeId)
                .setParameter("contentHash", hash)
                .setParameter("touchedBefore", at.minus(touchInterval))
                .executeUpdate();
        if (touched > 0) {
            return Outcome.TOUCHED;
        }
        Optional<String> storedHash = em.createNamedQuery(Node.CONTENT_HASH, String.class)
                .setParameter("id", nodeId)
                .getResultStream()
                .findFirst();
        if (storedHash.isPresent() && storedHash.get().equals(hash)) {
            return Outcome.UNCHANGED; // touched less than touch-interval ago
        }
        boolean created = em.createNativeQuery(Node.INSERT_IF_ABSENT)
                        .setParameter(1, nodeId)
                        .setParameter(2, at.atOffset(ZoneOffset.UTC))
                        .setParameter(3, at.atOffset(ZoneOffset.UTC))
                        .setParameter(4, at.atOffset(ZoneOffset.UTC))
                        .executeUpdate()
                > 0;
        // Serialises concurrent adverts of one node (two consumers, or two runner instances).
        Node node = em.find(Node.class, nodeId, LockModeType.PESSIMISTIC_WRITE);
        if (hash.equals(node.getContentHash())) {
            node.advertisedAt(at); // a concurrent advert wrote this very content
            return Outcome.UNCHANGED;
        }
        replaceProcedures(nodeId, advert.procedures());
        node.changeContent(hash, at);
        em.flush();
        LOG.log(
                Level.INFO,
                "Node {0} {1} with {2} procedures",
                nodeId,
                created ? "registered" : "changed",
                advert.procedures().size());
        nodeChanged.fire(new NodeChanged(nodeId));
        return created ? Outcome.CREATED : Outcome.CHANGED;
    }

    private void replaceProcedures(String nodeId, List<AdvertisedProcedure> advertised) {
        Map<String, NodeProcedure> stored = new HashMap<>();
        em.createNamedQuery(NodeProcedure.OF_NODE, NodeProcedure.class)
                .setParameter("nodeId", nodeId)
                .getResultList()
                .forEach(row -> stored.put(row.getProcedureId(), row));
        for (int position = 0; position < advertised.size(); position++) {
            AdvertisedProcedure procedure = advertised.get(position);
            String input = procedure.inputJson();
            String output = procedure.outputJson();
            NodeProcedure row = stored.remove(procedure.id());
            if (row == null) {
                row = new NodeProcedure(nodeId, procedure.id());
                row.describe(procedure.schemaVersion(), input, output, position);
                em.persist(row);
            } else if (!row.isDescribedAs(procedure.schemaVersion(), input, output, position)) {
                row.describe(procedure.schemaVersion(), input, output, position);
            }
        }
        stored.values().forEach(em::remove); // procedures the node no longer advertises
    }

    /** Nodes ordered by id, with their procedures in advertised order. */
    public Page<NodeView> page(PageRequest request) {
        long total = em.createNamedQuery(Node.COUNT, Long.class).getSingleResult();
        List<Node> nodes = em.createNamedQuery(Node.ALL_BY_ID, Node.class)
                .setFirstResult(request.offset())
                .setMaxResults(request.pageSize())
                .getResultList();
        Instant now = DatabaseTime.now();
        Map<String, List<RegisteredProcedure>> procedures = new HashMap<>();
        Set<String> nodeIds = new HashSet<>();
        nodes.forEach(node -> nodeIds.add(node.getId()));
        proceduresOf(nodeIds, now)
                .forEach(procedure -> procedures
                        .computeIfAbsent(procedure.nodeId(), id -> new ArrayList<>())
                        .add(procedure));
        List<NodeView> views = nodes.stream()
                .map(node -> new NodeView(
                        node.getId(),
                        procedures.getOrDefault(node.getId(), List.of()),
                        node.getLastAdvertisedAt(),
                        liveness.isAvailable(node.getLastAdvertisedAt(), now)))
                .toList();
        return Page.of(views, request, total);
    }

    /** Every registered node's id, in order. */
    public List<String> ids() {
        return em.createQuery("select n.id from Node n order by n.id", String.class)
                .getResultList();
    }

    /** One node with its procedures, as {@link #page} lists it; empty when never advertised. */
    public Optional<NodeView> view(String nodeId) {
        Node node = em.find(Node.class, nodeId);
        if (node == null) {
            return Optional.empty();
        }
        Instant now = DatabaseTime.now();
        return Optional.of(new NodeView(
                node.getId(),
                proceduresOf(Set.of(nodeId), now),
                node.getLastAdvertisedAt(),
                liveness.isAvailable(node.getLastAdvertisedAt(), now)));
    }

    /** Which of these node ids are registered (available or not); a lookup by primary key each. */
    public Set<String> existing(Collection<String> nodeIds) {
        Set<String> found = new HashSet<>();
        for (String nodeId : nodeIds) {
            if (em.find(Node.class, nodeId) != null) {
                found.add(nodeId);
            }
        }
        return found;
    }

    /**
     * Many procedures in one query, e.g. every step of a pipeline. Keys that name no registered
     * procedure are absent from the map; unavailable ones are present with {@code available} false.
     */
    public Map<ProcedureKey, RegisteredProcedure> procedures(Collection<ProcedureKey> keys) {
        Set<String> nodeIds = new HashSet<>();
        keys.forEach(key -> nodeIds.add(key.nodeId()));
        Set<ProcedureKey> wanted = Set.copyOf(keys);
        Map<ProcedureKey, RegisteredProcedure> found = new LinkedHashMap<>();
        for (RegisteredProcedure procedure : proceduresOf(nodeIds, DatabaseTime.now())) {
            if (wanted.contains(procedure.key())) {
                found.put(procedure.key(), procedure);
            }
        }
        return found;
    }

    /** Every procedure of the nodes, ordered by node id and advertised position: one query. */
    private List<RegisteredProcedure> proceduresOf(Set<String> nodeIds, Instant now) {
        if (nodeIds.isEmpty()) {
            return List.of();
        }
        return em
                .createNamedQuery(NodeProcedure.WITH_NODE_OF_NODES, Object[].class)
                .setParameter("nodeIds", nodeIds)
                .getResultList()
                .stream()
                .map(row -> registered((NodeProcedure) row[0], (Node) row[1], now))
                .toList();
    }

    private RegisteredProcedure registered(NodeProcedure row, Node node, Instant now) {
        return new RegisteredProcedure(
                row.getNodeId(),
                row.getProcedureId(),
                row.getSchemaVersion(),
                schemes.scheme(row.getInputScheme()),
                schemes.scheme(row.getOutputScheme()),
                node.getLastAdvertisedAt(),
                liveness.isAvailable(node.getLastAdvertisedAt(), now));
    }
}
