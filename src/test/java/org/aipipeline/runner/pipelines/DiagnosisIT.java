package org.aipipeline.runner.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApString;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Metrics;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** "Why is my step not running?" (issue 14 part 3) against the real broker: queue figures, nodes, sentences. */
class DiagnosisIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    /** Declares its queue and advertises, but never takes a step: what it is sent stays queued. */
    private static final String IDLE = "it-diag-idle-" + SUFFIX;
    /** The same, for the test that makes the node unavailable. */
    private static final String STALE = "it-diag-stale-" + SUFFIX;

    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (DiagnosisIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNode.named(IDLE)
                                .procedure("wait", TestNodes.STRING, TestNodes.STRING, x -> x)
                                .silent(),
                        TestNode.named(STALE)
                                .procedure("wait", TestNodes.STRING, TestNodes.STRING, x -> x)
                                .silent());
            }
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private String start(String node, int steps) {
        String step = "{\"nodeId\":\"" + node + "\",\"procedureId\":\"wait\"}";
        String json = "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":["
                + String.join(",", Collections.nCopies(steps, step)) + "]}";
        Api.Reply started = api.post("api/v1/Pipelines", session.bearer(), json);
        assertEquals(202, started.status(), started.toString());
        return started.json().getJsonObject("pipeline").getString("id");
    }

    private JsonObject diagnosis(String pipelineId) {
        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId + "/Diagnosis", session.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("diagnosis");
    }

    /** The diagnosis once the broker counts the run's message in the node's queue (the cache is two seconds). */
    private JsonObject queuedDiagnosis(String pipelineId) {
        return Poll.until(
                Duration.ofSeconds(30),
                () -> diagnosis(pipelineId),
                d -> d.getJsonArray("steps")
                                .getJsonObject(0)
                                .getJsonObject("queue")
                                .getInt("messages")
                        > 0,
                "the step counted in its node's queue");
    }

    @Test
    void aStepQueuedForANodeWithNoConsumerSaysSoAndTheStepsAfterItWaitForIt() {
        String pipelineId = start(IDLE, 2);
        JsonObject diagnosis = queuedDiagnosis(pipelineId);

        assertEquals("Running", diagnosis.getString("status"));
        List<JsonObject> steps = diagnosis.getJsonArray("steps").getValuesAs(JsonObject.class);
        assertEquals(2, steps.size(), diagnosis.toString());
        JsonObject first = steps.get(0);
        assertEquals("no-consumer", first.getString("state"), first.toString());
        assertEquals(0, first.getJsonObject("queue").getInt("consumers"));
        assertTrue(first.getJsonObject("node").getBoolean("available"));
        assertTrue(
                first.getString("sentence").startsWith("Waiting in queue '" + IDLE + "' with "),
                first.getString("sentence"));
        assertTrue(
                first.getString("sentence")
                        .contains(" ready and no consumer: node '" + IDLE + "' is not connected "
                                + "(last advertised at "),
                first.getString("sentence"));
        assertEquals(first.getString("sentence"), diagnosis.getString("summary"));
        assertFalse(first.isNull("deadlineAt"));
        assertEquals("waiting-for-earlier-step", steps.get(1).getString("state"));
        assertEquals(2, steps.get(1).getInt("order"));
    }

    @Test
    void aNodeThatStoppedAdvertisingIsNamedUnavailableInTheSentence() throws SQLException {
        String pipelineId = start(STALE, 1);
        try (Connection db = DriverManager.getConnection(
                        System.getProperty("it.db.url"),
                        System.getProperty("it.db.user"),
                        System.getProperty("it.db.password"));
                PreparedStatement age = db.prepareStatement(
                        "update nodes set last_advertised_at = last_advertised_at - interval '1 hour' where id = ?")) {
            age.setString(1, STALE);
            assertEquals(1, age.executeUpdate());
        }
        JsonObject step = queuedDiagnosis(pipelineId).getJsonArray("steps").getJsonObject(0);

        assertFalse(step.getJsonObject("node").getBoolean("available"), step.toString());
        assertTrue(
                step.getString("sentence").contains("is not connected (last advertised at "),
                step.getString("sentence"));
        assertTrue(step.getString("sentence").contains(", unavailable); deadline "), step.getString("sentence"));
    }

    @Test
    void aNodesLiveFactsShowItsQueueAndTheRunsWaitingForIt() {
        start(IDLE, 1);
        JsonObject node = Poll.until(
                Duration.ofSeconds(30),
                () -> {
                    Api.Reply reply = api.get("api/v1/Nodes/" + IDLE, session.bearer());
                    assertEquals(200, reply.status(), reply.toString());
                    return reply.json().getJsonObject("node");
                },
                n -> n.getJsonObject("queue").getInt("messages") > 0,
                "the node's queue holds the step");

        assertEquals(IDLE, node.getString("id"));
        assertEquals(IDLE, node.getJsonObject("queue").getString("name"));
        assertEquals(0, node.getJsonObject("queue").getInt("consumers"));
        assertTrue(node.getJsonNumber("runsInFlight").longValue() >= 1, node.toString());
        assertTrue(node.isNull("queueProblem"));
        Api.Reply unknown = api.get("api/v1/Nodes/it-diag-nobody-" + SUFFIX, session.bearer());
        assertEquals(404, unknown.status(), unknown.toString());
        assertTrue(unknown.contentType().startsWith("application/problem+json"), unknown.contentType());
    }

    @Test
    void aFinishedRunHasNothingWaitingAndAnotherUsersRunIsNotFound() {
        String pipelineId = start(IDLE, 1);
        assertEquals(
                200,
                api.post("api/v1/Pipelines/" + pipelineId + "/Cancel", session.bearer(), "")
                        .status());
        JsonObject finished = diagnosis(pipelineId);

        assertEquals("Cancelled", finished.getString("status"));
        assertEquals(0, finished.getJsonArray("steps").size());
        assertTrue(finished.getString("summary").startsWith("The run is Cancelled since "), finished.toString());
        Session other = Session.register(api);
        assertEquals(
                404,
                api.get("api/v1/PipelineResults/" + pipelineId + "/Diagnosis", other.bearer())
                        .status());
        assertEquals(
                400,
                api.get("api/v1/PipelineResults/not-a-uuid/Diagnosis", session.bearer())
                        .status());
    }

    /** The figures an operator watches (issue 14 part 4), named as the README documents them. */
    @Test
    void theMetricsAnOperatorNeedsAreOnMetrics() throws Exception {
        String pipelineId = start(IDLE, 1);
        assertEquals(
                200,
                api.post("api/v1/Pipelines/" + pipelineId + "/Cancel", session.bearer(), "")
                        .status());
        // a report for a pipeline that does not exist is dead-lettered as not-found
        nodes.get(IDLE).reportCompleted(UUID.randomUUID().toString(), "wait", 1, new ApString("stray"));
        String entry = "procedure=\"" + IDLE + "/wait\"";

        Metrics metrics = Poll.until(
                Duration.ofSeconds(30),
                () -> Metrics.scrape(api, url),
                m -> m.value("runner_dead_lettered_messages", "kind=\"not-found\"")
                                .isPresent()
                        && m.value("runner_runs_finished", entry, "status=\"Cancelled\"")
                                .isPresent(),
                "the dead letter and the cancellation counted");
        assertTrue(metrics.value("runner_runs_started", entry).orElse(0) >= 1, metrics.toString());
        assertTrue(metrics.value("runner_runs_finished", entry, "status=\"Cancelled\"")
                        .orElse(0)
                >= 1);
        assertTrue(
                metrics.value(
                                        "runner_dead_lettered_messages",
                                        "queue=\"completed-pipeline-steps-queue\"",
                                        "kind=\"not-found\"")
                                .orElse(0)
                        >= 1,
                metrics.toString());
        assertTrue(metrics.value("runner_runs_in_flight").orElse(-1) >= 0, metrics.toString());
        assertTrue(metrics.value("runner_outbox_backlog").orElse(-1) >= 0, metrics.toString());
        assertTrue(metrics.value("runner_awaited_waits_in_flight").orElse(-1) >= 0, metrics.toString());
        assertEquals(
                0,
                metrics.value("runner_node_queue_consumers", "node=\"" + IDLE + "\"")
                        .orElse(-1),
                metrics.toString());
        assertTrue(
                metrics.value("runner_node_queue_messages", "node=\"" + IDLE + "\"")
                                .orElse(-1)
                        >= 0,
                metrics.toString());
    }
}
