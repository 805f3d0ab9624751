package org.aipipeline.runner.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The test nodes of an integration-test class, started once and known to the runner: adverts are
 * consumed asynchronously, so {@link #start} waits until the planner stops answering "unknown
 * node" for each. {@link #close} deletes their queues, so no later class's run reaches them.
 */
public final class StartedNodes implements AutoCloseable {

    private final List<TestNode> nodes;

    private StartedNodes(List<TestNode> nodes) {
        this.nodes = nodes;
    }

    /** Starts the nodes and waits until the runner knows each (up to 30 s). */
    public static StartedNodes start(Api api, Session session, TestNode... toStart) throws Exception {
        List<TestNode> started = new ArrayList<>(toStart.length);
        for (TestNode node : toStart) {
            started.add(node.start());
        }
        for (TestNode node : started) {
            awaitRegistered(api, session, node.id());
        }
        return new StartedNodes(List.copyOf(started));
    }

    /** Waits until the runner's planner knows {@code nodeId} (an empty batch naming it is no longer "unknown node"). */
    public static void awaitRegistered(Api api, Session session, String nodeId) {
        Poll.until(
                Duration.ofSeconds(30),
                () -> api.post(
                                "api/v1/Pipelines/Batch",
                                session.bearer(),
                                "{\"inputs\":[],\"steps\":[{\"nodeId\":\"" + nodeId + "\",\"procedureId\":\"x\"}]}")
                        .body(),
                body -> !body.contains("unknown node"),
                "node " + nodeId + " registered");
    }

    /** The started node called {@code nodeId}. */
    public TestNode get(String nodeId) {
        return nodes.stream()
                .filter(node -> node.id().equals(nodeId))
                .findFirst()
                .orElseThrow();
    }

    @Override
    public void close() throws Exception {
        for (TestNode node : nodes) {
            node.deleteQueue();
            node.close();
        }
    }
}
