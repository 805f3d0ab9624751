package org.aipipeline.runner.nodes.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.aipipeline.runner.messaging.QueueDepths;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.nodes.entity.NodeChanged;
import org.aipipeline.runner.platform.control.ApplicationMetrics;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Each node's queue on {@code /metrics}: messages ready and consumers, tagged by node, read from
 * the broker at scrape time (a passive declare, cached {@code messaging.queue-depth.cache}); -1 when
 * the broker cannot be asked. Registered for the nodes known at start-up and for each node this
 * instance registers or sees change; a node first registered by another instance appears here after
 * a restart or its next change.
 */
@ApplicationScoped
public class NodeQueueMetrics {

    private static final System.Logger LOG = System.getLogger(NodeQueueMetrics.class.getName());

    @Inject
    ApplicationMetrics metrics;

    @Inject
    QueueDepths queues;

    @Inject
    Topology topology;

    @Inject
    NodeRegistry nodes;

    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    void registerKnown(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        try {
            nodes.ids().forEach(this::register);
        } catch (RuntimeException e) {
            // The database may still be coming up: the gauges then appear as nodes advertise.
            LOG.log(Level.WARNING, "Node queue gauges wait for the nodes' next adverts: {0}", e.getMessage());
        }
    }

    void nodeChanged(@Observes NodeChanged changed) {
        register(changed.nodeId());
    }

    private void register(String nodeId) {
        if (!registered.add(nodeId)) {
            return;
        }
        String queue = topology.nodeQueue(nodeId);
        gauge(
                "runner_node_queue_messages",
                "Messages ready in each node's queue (-1: the broker cannot be asked)",
                nodeId,
                state -> state.messages(),
                queue);
        gauge(
                "runner_node_queue_consumers",
                "Consumers on each node's queue (-1: the broker cannot be asked)",
                nodeId,
                state -> state.consumers(),
                queue);
    }

    private void gauge(
            String name,
            String description,
            String nodeId,
            ToLongFunction<QueueDepths.QueueState> figure,
            String queue) {
        metrics.registry()
                .ifPresent(registry -> registry.gauge(
                        Metadata.builder()
                                .withName(name)
                                .withDescription(description)
                                .build(),
                        () -> {
                            try {
                                return figure.applyAsLong(queues.of(queue));
                            } catch (RunnerException.Unavailable e) {
                                return -1L;
                            }
                        },
                        new Tag("node", nodeId)));
    }
}
