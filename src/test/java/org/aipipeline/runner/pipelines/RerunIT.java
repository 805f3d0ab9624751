package org.aipipeline.runner.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.aipipeline.runner.apscheme.ApString;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Re-run from a step (issue 13 part 3) end to end, on the real broker and database. */
class RerunIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    /** count (appends "!", counting its calls per input), explode (fails with 500), shout (upper case), echo. */
    private static final String STEPS = "it-rerun-steps-" + SUFFIX;
    /** A node that stops advertising during a test (its catalog row is aged). */
    private static final String LONELY = "it-rerun-lonely-" + SUFFIX;

    private static final String SILENT = "it-rerun-silent-" + SUFFIX;
    /** How often count ran, by input text: a reused step must not run again. */
    private static final Map<String, AtomicInteger> COUNTED = new ConcurrentHashMap<>();

    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (RerunIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNode.named(STEPS)
                                .procedure("count", TestNodes.STRING, TestNodes.STRING, input -> {
                                    String text = ((ApString) input).value();
                                    COUNTED.computeIfAbsent(text, t -> new AtomicInteger())
                                            .incrementAndGet();
                                    return new ApString(text + "!");
                                })
                                .procedure("explode", TestNodes.STRING, TestNodes.STRING, input -> {
                                    throw new TestNode.Failure(500, "exploded on " + ((ApString) input).value());
                                })
                                .procedure(
                                        "shout",
                                        TestNodes.STRING,
                                        TestNodes.STRING,
                                        input -> new ApString(
                                                ((ApString) input).value().toUpperCase()))
                                .procedure("echo", TestNodes.STRING, TestNodes.STRING, input -> input),
                        TestNode.named(LONELY).procedure("echo", TestNodes.STRING, TestNodes.STRING, input -> input),
                        TestNode.named(SILENT)
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

    private static String step(String node, String procedure) {
        return "{\"nodeId\":\"" + node + "\",\"procedureId\":\"" + procedure + "\"}";
    }

    /** An awaited run of {@code steps} on {@code word}; answers its finished result. */
    private JsonObject finishedRun(String word, String... steps) {
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":{\"type\":\"ApString\",\"value\":\"" + word + "\"},\"steps\":[" + String.join(",", steps)
                        + "],\"timeoutSeconds\":60}");
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("result");
    }

    private Api.Reply rerun(String pipelineId, String body) {
        return api.post("api/v1/PipelineResults/" + pipelineId + "/Rerun", session.bearer(), body);
    }

    private Api.Reply rerun(String pipelineId, String key, String body) {
        return api.send(api.request("api/v1/PipelineResults/" + pipelineId + "/Rerun", session.bearer())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private JsonObject result(String pipelineId) {
        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId, session.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("result");
    }

    private JsonObject finished(String pipelineId) {
        return Poll.until(
                Duration.ofSeconds(60),
                () -> result(pipelineId),
                result -> !"Running".equals(result.getString("status")),
                "pipeline " + pipelineId + " finished");
    }

    private int runsOfUser() {
        return api.get("api/v1/PipelineResults", session.bearer())
                .json()
                .getJsonObject("pagination")
                .getInt("totalCount");
    }

    private static String value(JsonObject step) {
        return step.getJsonObject("result").getString("value");
    }

    @Test
    void aRunFailedInItsMiddleStepRerunsFromThereWithAReplacementReusingStepOneWhichDoesNotRunAgain() {
        String word = "w" + UUID.randomUUID().toString().substring(0, 6);
        JsonObject old = finishedRun(word, step(STEPS, "count"), step(STEPS, "explode"), step(STEPS, "echo"));
        assertEquals("Failed", old.getString("status"), old.toString());
        String oldId = old.getString("pipelineId");

        Api.Reply started = rerun(oldId, "{\"steps\":[" + step(STEPS, "shout") + "," + step(STEPS, "echo") + "]}");
        assertEquals(202, started.status(), started.toString());
        JsonObject pipeline = started.json().getJsonObject("pipeline");
        String newId = pipeline.getString("id");
        assertFalse(newId.equals(oldId));
        assertEquals(oldId, pipeline.getString("rerunOf"));
        assertEquals(2, pipeline.getInt("fromOrder"));
        assertEquals(word, pipeline.getJsonObject("input").getString("value"), "the run's input, the old run's");
        assertEquals(
                List.of(2, 3),
                pipeline.getJsonArray("steps").getValuesAs(JsonObject.class).stream()
                        .map(s -> s.getInt("order"))
                        .toList());
        assertTrue(
                started.header("Location").orElse("").endsWith("/api/v1/PipelineResults/" + newId), started.toString());

        JsonObject done = finished(newId);
        assertEquals("Succeeded", done.getString("status"), done.toString());
        assertEquals(oldId, done.getString("rerunOf"));
        List<JsonObject> steps = done.getJsonArray("stepResults").getValuesAs(JsonObject.class);
        assertEquals(3, steps.size(), done.toString());
        assertTrue(steps.get(0).getBoolean("reused"));
        assertEquals(word + "!", value(steps.get(0)));
        assertEquals(
                old.getJsonArray("stepResults").getJsonObject(0).getString("finishedAt"),
                steps.get(0).getString("finishedAt"));
        assertFalse(steps.get(1).getBoolean("reused"));
        assertEquals("shout", steps.get(1).getString("nodeProcedureId"));
        assertEquals((word + "!").toUpperCase(), value(steps.get(1)));
        assertFalse(steps.get(2).getBoolean("reused"));
        assertEquals((word + "!").toUpperCase(), value(steps.get(2)));
        assertEquals(1, COUNTED.get(word).get(), "step 1 ran once: the rerun reused its result");

        // The old run is untouched; the listing shows the rerun with rerunOf.
        assertEquals(old, result(oldId));
        JsonObject newest = api.get("api/v1/PipelineResults", session.bearer())
                .json()
                .getJsonArray("items")
                .getJsonObject(0);
        assertEquals(newId, newest.getString("pipelineId"));
        assertEquals(oldId, newest.getString("rerunOf"));
        assertEquals(JsonValue.NULL, result(oldId).get("rerunOf"));
    }

    @Test
    void aDryRunShowsReusedResultsTheStepsToRunAnUnavailableNodeAndEveryProblemAndStoresNothing() throws Exception {
        JsonObject old = finishedRun("dry", step(STEPS, "count"), step(LONELY, "echo"));
        assertEquals("Succeeded", old.getString("status"), old.toString());
        String oldId = old.getString("pipelineId");
        int runs = runsOfUser();

        // The node went quiet an hour ago (availability timeout: three minutes).
        try (Connection db = DriverManager.getConnection(
                        System.getProperty("it.db.url"),
                        System.getProperty("it.db.user"),
                        System.getProperty("it.db.password"));
                PreparedStatement age = db.prepareStatement(
                        "update nodes set last_advertised_at = last_advertised_at - interval '1 hour' where id = ?")) {
            age.setString(1, LONELY);
            assertEquals(1, age.executeUpdate());
        }
        // The planner's catalog trusts what it read for pipelines.catalog.ttl (2 s).
        JsonObject plan = Poll.until(
                Duration.ofSeconds(30),
                () -> rerun(oldId, "{\"fromOrder\":2,\"dryRun\":true}").json(),
                answer -> !answer.getBoolean("valid", true),
                "the dry run sees the node unavailable");
        assertEquals(true, plan.getBoolean("dryRun"));
        assertEquals(oldId, plan.getString("rerunOf"));
        assertEquals(2, plan.getInt("fromOrder"));
        List<JsonObject> steps = plan.getJsonArray("steps").getValuesAs(JsonObject.class);
        assertEquals(2, steps.size(), plan.toString());
        assertEquals("reuse", steps.get(0).getString("action"));
        assertEquals(1, steps.get(0).getInt("order"));
        assertEquals(STEPS, steps.get(0).getString("nodeId"));
        assertEquals("dry!", value(steps.get(0)));
        assertEquals("run", steps.get(1).getString("action"));
        assertEquals(2, steps.get(1).getInt("order"));
        assertEquals(LONELY, steps.get(1).getString("nodeId"));
        assertEquals("echo", steps.get(1).getString("procedureId"));
        assertFalse(steps.get(1).getBoolean("nodeAvailable"));
        JsonObject error = plan.getJsonArray("errors").getJsonObject(0);
        assertEquals("steps[0].nodeId", error.getString("field"));
        assertTrue(error.getString("message").contains("is not available"), error.toString());

        // Replacement steps with problems: every one listed, the available node said so.
        JsonObject replaced = rerun(
                        oldId,
                        "{\"fromOrder\":2,\"dryRun\":true,\"steps\":[" + step(STEPS, "nope") + "," + step(STEPS, "echo")
                                + "]}")
                .json();
        assertFalse(replaced.getBoolean("valid"));
        assertEquals(
                List.of("steps[0].procedureId"),
                replaced.getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                        .map(e -> e.getString("field"))
                        .toList());
        assertFalse(replaced.getJsonArray("steps").getJsonObject(1).getBoolean("nodeAvailable"));
        assertTrue(replaced.getJsonArray("steps").getJsonObject(2).getBoolean("nodeAvailable"));

        JsonObject outOfRange =
                rerun(oldId, "{\"fromOrder\":3,\"dryRun\":true}").json();
        assertFalse(outOfRange.getBoolean("valid"));
        assertEquals(
                "fromOrder", outOfRange.getJsonArray("errors").getJsonObject(0).getString("field"));

        // Valid from step 1 on the node that still advertises: valid, nothing stored or sent.
        JsonObject valid = rerun(oldId, "{\"dryRun\":true,\"steps\":[" + step(STEPS, "echo") + "]}")
                .json();
        assertTrue(valid.getBoolean("valid"), valid.toString());
        assertEquals(1, valid.getInt("fromOrder"));
        assertTrue(valid.getJsonArray("errors").isEmpty());
        assertEquals(runs, runsOfUser());
        assertEquals(1, COUNTED.get("dry").get());
    }

    @Test
    void aRunningRunIs409AnotherUsersRunIs404AndAnInvalidFromOrderIs422() {
        Api.Reply running = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[" + step(SILENT, "wait") + "]}");
        assertEquals(202, running.status(), running.toString());
        String runningId = running.json().getJsonObject("pipeline").getString("id");
        for (String body : List.of("{}", "{\"dryRun\":true}")) {
            Api.Reply conflict = rerun(runningId, body);
            assertEquals(409, conflict.status(), conflict.toString());
            assertTrue(conflict.json().getString("detail").contains("is still Running"), conflict.toString());
        }

        JsonObject failed = finishedRun("f", step(STEPS, "count"), step(STEPS, "explode"));
        String failedId = failed.getString("pipelineId");
        Api.Reply foreign = api.post(
                "api/v1/PipelineResults/" + failedId + "/Rerun",
                Session.register(api).bearer(),
                "{}");
        assertEquals(404, foreign.status(), foreign.toString());
        assertEquals(404, rerun(UUID.randomUUID().toString(), "{}").status());

        Api.Reply invalid = rerun(failedId, "{\"fromOrder\":3}");
        assertEquals(422, invalid.status(), invalid.toString());
        JsonObject error = invalid.json().getJsonArray("errors").getJsonObject(0);
        assertEquals("fromOrder", error.getString("field"));
        Api.Reply badStep = rerun(failedId, "{\"fromOrder\":2,\"steps\":[" + step(STEPS, "nope") + "]}");
        assertEquals(422, badStep.status(), badStep.toString());
        assertEquals(
                "steps[0].procedureId",
                badStep.json().getJsonArray("errors").getJsonObject(0).getString("field"));
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheRerunAndStartsNothingAndAnotherBodyIs422() {
        JsonObject failed = finishedRun("key", step(STEPS, "count"), step(STEPS, "explode"));
        String failedId = failed.getString("pipelineId");
        int runs = runsOfUser();
        String key = "rerun-" + UUID.randomUUID();
        String body = "{\"steps\":[" + step(STEPS, "shout") + "]}";

        Api.Reply first = rerun(failedId, key, body);
        assertEquals(202, first.status(), first.toString());
        assertTrue(first.header("Idempotent-Replayed").isEmpty());
        Api.Reply again = rerun(failedId, key, body);
        assertEquals(202, again.status(), again.toString());
        assertEquals("true", again.header("Idempotent-Replayed").orElse(null));
        assertEquals(first.json(), again.json());
        assertEquals(first.header("Location"), again.header("Location"));

        Api.Reply changed = rerun(failedId, key, "{\"steps\":[" + step(STEPS, "echo") + "]}");
        assertEquals(422, changed.status(), changed.toString());
        String otherId = finishedRun("other", step(STEPS, "count"), step(STEPS, "explode"))
                .getString("pipelineId");
        Api.Reply otherPipeline = rerun(otherId, key, body);
        assertEquals(422, otherPipeline.status(), otherPipeline.toString());
        assertEquals(runs + 2, runsOfUser());
        JsonObject done = finished(first.json().getJsonObject("pipeline").getString("id"));
        assertEquals("Succeeded", done.getString("status"), done.toString());
        assertEquals("KEY!", value(done.getJsonArray("stepResults").getJsonObject(1)));
    }
}
