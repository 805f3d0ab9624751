package org.aipipeline.runner.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
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

/** Pipelines end to end: REST in, real broker, test nodes speaking the protocol, results out. */
class PipelinesIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WORDS = "it-words-" + SUFFIX;
    private static final String DESCRIBER = "it-describer-" + SUFFIX;
    private static final String FAILER = "it-failer-" + SUFFIX;
    private static final String SILENT = "it-silent-" + SUFFIX;
    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (PipelinesIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNodes.wordProcessor(WORDS),
                        TestNodes.describer(DESCRIBER),
                        TestNodes.failing(FAILER, 418),
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

    private static String text(String value) {
        return "{\"type\":\"ApString\",\"value\":\"" + value + "\"}";
    }

    private static String repeatInput(String value, int count) {
        return "{\"type\":\"ApObject\",\"properties\":{\"inputString\":" + text(value)
                + ",\"repetitionCount\":{\"type\":\"ApInt\",\"value\":" + count + "}}}";
    }

    private static String step(String node, String procedure, String selector) {
        return "{\"nodeId\":\"" + node + "\",\"procedureId\":\"" + procedure + "\""
                + (selector == null ? "" : ",\"outputValueSelector\":\"" + selector + "\"") + "}";
    }

    private static String body(String input, String... steps) {
        return "{\"input\":" + input + ",\"steps\":[" + String.join(",", steps) + "]}";
    }

    private JsonObject resultWhenFinished(String pipelineId) {
        return Poll.until(
                        Duration.ofSeconds(30),
                        () -> api.get("api/v1/PipelineResults/" + pipelineId, session.bearer()),
                        reply -> reply.status() == 200
                                && !reply.json().getJsonObject("result").isNull("finishedAt"),
                        "pipeline " + pipelineId + " finished")
                .json()
                .getJsonObject("result");
    }

    @Test
    void backgroundRunOfTwoStepsSucceedsAndItsResultShowsEveryStep() {
        Api.Reply started = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                body(repeatInput("ab", 3), step(WORDS, "repeat-string", null), step(DESCRIBER, "describe", null)));
        assertEquals(202, started.status(), started.toString());
        JsonObject pipeline = started.json().getJsonObject("pipeline");
        String id = pipeline.getString("id");
        assertTrue(started.header("Location").orElseThrow().endsWith("/api/v1/PipelineResults/" + id));
        assertEquals(session.userId().toString(), pipeline.getString("ownerId"));
        JsonObject first = pipeline.getJsonArray("steps").getJsonObject(0);
        assertEquals(WORDS, first.getString("nodeId"));
        assertEquals("repeat-string", first.getString("nodeProcedureId"));
        assertEquals(1, first.getInt("order"));
        assertEquals("ApObject", first.getJsonObject("inputSchema").getString("type"));
        assertEquals("ApString", first.getJsonObject("outputSchema").getString("type"));
        assertEquals("ApObject", pipeline.getJsonObject("input").getString("type"));

        JsonObject result = resultWhenFinished(id);
        assertEquals("Succeeded", result.getString("status"), result.toString());
        assertEquals(2, result.getJsonArray("stepResults").size());
        JsonObject last = result.getJsonArray("stepResults").getJsonObject(1);
        assertTrue(last.getBoolean("wasSuccessful"));
        assertEquals(
                "ababab",
                last.getJsonObject("result")
                        .getJsonObject("properties")
                        .getJsonObject("text")
                        .getString("value"));
    }

    @Test
    void aSelectorChainsAnObjectOutputIntoAStringInput() {
        Api.Reply started = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                body(text("hello"), step(DESCRIBER, "describe", "text"), step(DESCRIBER, "describe", "length")));
        assertEquals(202, started.status(), started.toString());
        JsonObject result =
                resultWhenFinished(started.json().getJsonObject("pipeline").getString("id"));
        assertEquals("Succeeded", result.getString("status"), result.toString());
        assertEquals(
                "hello",
                result.getJsonArray("stepResults")
                        .getJsonObject(0)
                        .getJsonObject("result")
                        .getString("value"));
        assertEquals(
                "ApInt",
                result.getJsonArray("stepResults")
                        .getJsonObject(1)
                        .getJsonObject("result")
                        .getString("type"));
    }

    @Test
    void validateChecksAPipelineAsARunWouldWithoutRecordingIt() {
        Session fresh = Session.register(api);
        Api.Reply fits = api.post(
                "api/v1/Pipelines/Validate",
                fresh.bearer(),
                body(repeatInput("ab", 2), step(WORDS, "repeat-string", null), step(DESCRIBER, "describe", null)));
        assertEquals(200, fits.status(), fits.toString());
        assertTrue(fits.json().getBoolean("valid"));
        Api.Reply misfit = api.post(
                "api/v1/Pipelines/Validate",
                fresh.bearer(),
                body(repeatInput("ab", 2), step(WORDS, "repeat-string", null), step(WORDS, "repeat-string", null)));
        assertEquals(422, misfit.status(), misfit.toString());
        JsonObject error = misfit.json().getJsonArray("errors").getJsonObject(0);
        assertEquals("steps[1]", error.getString("field"));
        assertTrue(error.getString("message").contains("does not fit the input of"), error.toString());
        Api.Reply listed = api.get("api/v1/PipelineResults", fresh.bearer());
        assertEquals(
                0, listed.json().getJsonObject("pagination").getInt("totalCount"), "nothing was recorded: " + listed);
    }

    @Test
    void awaitedRunAnswersWithTheSucceededResult() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":" + repeatInput("x", 2) + ",\"steps\":[" + step(WORDS, "repeat-string", null)
                        + "],\"timeoutSeconds\":30}");
        assertEquals(200, reply.status(), reply.toString());
        JsonObject result = reply.json().getJsonObject("result");
        assertEquals("Succeeded", result.getString("status"));
        assertEquals(
                "xx",
                result.getJsonArray("stepResults")
                        .getJsonObject(0)
                        .getJsonObject("result")
                        .getString("value"));
    }

    @Test
    void awaitedRunAnswersWithTheFailedResult() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":" + text("x") + ",\"steps\":[" + step(FAILER, "explode", null) + ","
                        + step(DESCRIBER, "describe", null) + "],\"timeoutSeconds\":30}");
        assertEquals(200, reply.status(), reply.toString());
        JsonObject result = reply.json().getJsonObject("result");
        assertEquals("Failed", result.getString("status"));
        assertEquals(
                418,
                result.getJsonArray("stepResults")
                        .getJsonObject(0)
                        .getJsonObject("failureReason")
                        .getInt("code"));
    }

    @Test
    void awaitedRunTimesOutWith408NamingThePipeline() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":" + text("x") + ",\"steps\":[" + step(SILENT, "wait", null) + "],\"timeoutSeconds\":2}");
        assertEquals(408, reply.status(), reply.toString());
        String pipelineId = reply.json().getString("pipelineId");
        Api.Reply later = api.get("api/v1/PipelineResults/" + pipelineId, session.bearer());
        assertEquals(200, later.status(), later.toString());
        assertEquals("Running", later.json().getJsonObject("result").getString("status"));
    }

    @Test
    void aStepPastItsDeadlineFailsTheRunWith504AndALateReportIsDeadLettered() throws Exception {
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":" + text("x")
                        + ",\"steps\":[{\"nodeId\":\"" + SILENT
                        + "\",\"procedureId\":\"wait\",\"stepTimeoutSeconds\":2}],"
                        + "\"timeoutSeconds\":30}");
        assertEquals(200, reply.status(), reply.toString());
        JsonObject result = reply.json().getJsonObject("result");
        assertEquals("Failed", result.getString("status"), result.toString());
        JsonObject failure = result.getJsonArray("stepResults").getJsonObject(0).getJsonObject("failureReason");
        assertEquals(504, failure.getInt("code"));
        String reason = failure.getString("reason");
        assertTrue(
                reason.startsWith(
                        "Step 1 (procedure 'wait' on node '" + SILENT + "') did not report within its deadline of 2 s"),
                reason);

        // The node answers after all: refused and dead-lettered with the reason; the result stays as it was.
        String pipelineId = result.getString("pipelineId");
        try (DeadLetterWatch deadLetters = new DeadLetterWatch()) {
            node(SILENT).reportCompleted(pipelineId, "wait", 1, new ApString("late"));
            String deadReason = deadLetters.reasonFor(pipelineId);
            assertTrue(
                    deadReason.contains(
                            "Late report: step 1 of pipeline " + pipelineId + " had already failed at its deadline"),
                    deadReason);
        }
        JsonObject after = api.get("api/v1/PipelineResults/" + pipelineId, session.bearer())
                .json()
                .getJsonObject("result");
        assertEquals("Failed", after.getString("status"));
        assertEquals(
                504,
                after.getJsonArray("stepResults")
                        .getJsonObject(0)
                        .getJsonObject("failureReason")
                        .getInt("code"));
    }

    @Test
    void reportsForStepsThatWereNotDispatchedOrAreNoLongerOpenAreDeadLetteredAndChangeNothing() throws Exception {
        // A run waiting on the silent node: another node claims its step.
        String waiting = api.post("api/v1/Pipelines", session.bearer(), body(text("x"), step(SILENT, "wait", null)))
                .json()
                .getJsonObject("pipeline")
                .getString("id");
        // A finished run: its only step reported again (a redelivery or a forgery).
        JsonObject done = api.post(
                        "api/v1/Pipelines/Awaited",
                        session.bearer(),
                        "{\"input\":" + repeatInput("ab", 2) + ",\"steps\":[" + step(WORDS, "repeat-string", null)
                                + "],\"timeoutSeconds\":30}")
                .json()
                .getJsonObject("result");
        assertEquals("Succeeded", done.getString("status"), done.toString());
        String finished = done.getString("pipelineId");
        String unknown = UUID.randomUUID().toString();
        try (DeadLetterWatch deadLetters = new DeadLetterWatch()) {
            node(WORDS).reportCompleted(waiting, "wait", 1, new ApString("forged"));
            node(SILENT).reportCompleted(waiting, "repeat-string", 1, new ApString("forged"));
            node(WORDS).reportCompleted(finished, "repeat-string", 1, new ApString("forged"));
            node(WORDS).reportCompleted(unknown, "repeat-string", 1, new ApString("forged"));

            assertEquals(
                    Set.of(
                            "Invalid: procedureIdentifier: step 1 of pipeline " + waiting
                                    + " was dispatched to procedure 'wait' on node '" + SILENT
                                    + "', not to procedure 'wait' on node '" + WORDS + "'",
                            "Invalid: procedureIdentifier: step 1 of pipeline " + waiting
                                    + " was dispatched to procedure 'wait' on node '" + SILENT
                                    + "', not to procedure 'repeat-string' on node '" + SILENT + "'"),
                    Set.of(deadLetters.reasonFor(waiting), deadLetters.reasonFor(waiting)));
            assertEquals(
                    "Conflict: Step 1 of pipeline " + finished
                            + " is no longer open: it is already recorded (a duplicate "
                            + "or late report, or a step after the one that failed the run), so this report is not recorded",
                    deadLetters.reasonFor(finished));
            assertEquals("NotFound: No pipeline with id " + unknown, deadLetters.reasonFor(unknown));
        }
        JsonObject stillWaiting = api.get("api/v1/PipelineResults/" + waiting, session.bearer())
                .json()
                .getJsonObject("result");
        assertEquals("Running", stillWaiting.getString("status"), stillWaiting.toString());
        assertEquals(0, stillWaiting.getJsonArray("stepResults").size(), stillWaiting.toString());
        JsonObject unchanged = api.get("api/v1/PipelineResults/" + finished, session.bearer())
                .json()
                .getJsonObject("result");
        assertEquals(done.getJsonArray("stepResults"), unchanged.getJsonArray("stepResults"));
    }

    private static TestNode node(String id) {
        return nodes.get(id);
    }

    /**
     * Copies of what the runner dead-letters from now on (a queue of our own bound to the
     * runner-dead-letters exchange), read one at a time by the pipeline id in their body.
     */
    static final class DeadLetterWatch implements AutoCloseable {

        private final com.rabbitmq.client.Connection connection;
        private final Channel channel;
        private final String copy;
        private final List<GetResponse> unread = new java.util.ArrayList<>();

        DeadLetterWatch() throws Exception {
            ConnectionFactory factory = new ConnectionFactory();
            factory.setUri(System.getProperty("it.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672"));
            connection = factory.newConnection("it-dead-letter-copy");
            channel = connection.createChannel();
            copy = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(copy, "runner-dead-letters", "");
        }

        /** The rejection reason of the next dead letter about {@code pipelineId}, waiting up to 30 s. */
        String reasonFor(String pipelineId) {
            GetResponse found = Poll.until(
                    Duration.ofSeconds(30),
                    () -> {
                        for (GetResponse dead = next(); dead != null; dead = next()) {
                            unread.add(dead);
                        }
                        for (GetResponse dead : unread) {
                            if (new String(dead.getBody(), StandardCharsets.UTF_8).contains(pipelineId)) {
                                return dead;
                            }
                        }
                        return null;
                    },
                    dead -> dead != null,
                    "a dead letter about " + pipelineId);
            unread.remove(found);
            return String.valueOf(found.getProps().getHeaders().get("x-runner-rejection-reason"));
        }

        /** Whether a dead letter about {@code pipelineId} has arrived so far (no waiting). */
        boolean anyAbout(String pipelineId) {
            for (GetResponse dead = next(); dead != null; dead = next()) {
                unread.add(dead);
            }
            return unread.stream()
                    .anyMatch(dead -> new String(dead.getBody(), StandardCharsets.UTF_8).contains(pipelineId));
        }

        private GetResponse next() {
            try {
                return channel.basicGet(copy, true);
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() throws Exception {
            connection.close();
        }
    }

    @Test
    void aStepTimeoutOutsideItsBoundsIs422AtItsPath() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                "{\"input\":" + text("x") + ",\"steps\":[{\"nodeId\":\"" + SILENT
                        + "\",\"procedureId\":\"wait\",\"stepTimeoutSeconds\":0}]}");
        assertEquals(422, reply.status(), reply.toString());
        assertTrue(reply.body().contains("steps[0].stepTimeoutSeconds"), reply.body());
        assertTrue(reply.body().contains("must be between 1 and 86400 seconds, got 0"), reply.body());
    }

    @Test
    void batchOfAThousandIsAcceptedFastAndEveryRunFinishes() {
        String inputs = java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> repeatInput("b" + i, 2))
                .collect(Collectors.joining(","));
        long start = System.nanoTime();
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Batch",
                session.bearer(),
                "{\"inputs\":[" + inputs + "],\"steps\":[" + step(WORDS, "repeat-string", null) + "]}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(202, reply.status(), reply.toString());
        assertTrue(millis < 10_000, "accepted in " + millis + " ms");
        JsonObject batch = reply.json().getJsonObject("batch");
        assertEquals(1000, batch.getInt("totalPipelineCount"));
        assertEquals(session.userId().toString(), batch.getString("userId"));
        String batchId = batch.getString("pipelineBatchId");
        JsonObject finished = Poll.until(
                        Duration.ofSeconds(90),
                        () -> api.get("api/v1/PipelineResults/Batch/" + batchId, session.bearer()),
                        r -> r.status() == 200
                                && !r.json().getJsonObject("batch").isNull("finishedAt"),
                        "batch finished")
                .json()
                .getJsonObject("batch");
        assertEquals(
                1000,
                finished.getInt("successfullyCompletedPipelineCount"),
                finished.toString().substring(0, 300));
    }

    @Test
    void aBatchOfTenThousandInputsIsRecordedWithinSeconds() {
        // To the silent node, so only the acceptance is measured: records + outbox rows in one
        // transaction, then the fan-out in the background.
        String inputs = java.util.stream.IntStream.range(0, 10_000)
                .mapToObj(i -> text("s" + i))
                .collect(Collectors.joining(","));
        String request = "{\"inputs\":[" + inputs + "],\"steps\":[" + step(SILENT, "wait", null) + "]}";
        long start = System.nanoTime();
        Api.Reply reply = api.post("api/v1/Pipelines/Batch", session.bearer(), request);
        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.println("PipelinesIT: a batch of 10,000 inputs was accepted in " + millis + " ms");
        assertEquals(
                202,
                reply.status(),
                reply.toString().substring(0, Math.min(500, reply.toString().length())));
        assertEquals(10_000, reply.json().getJsonObject("batch").getInt("totalPipelineCount"));
        assertTrue(millis < 15_000, "accepted in " + millis + " ms");
    }

    @Test
    void invalidPipelineReportsEveryProblemWithItsPath() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                body(
                        text("x"),
                        step("it-nobody-" + SUFFIX, "p", null),
                        step(WORDS, "no-such", null),
                        step(DESCRIBER, "describe", "nope.deeper"),
                        step(DESCRIBER, "describe", "a..b")));
        assertEquals(422, reply.status(), reply.toString());
        String errors = reply.json().getJsonArray("errors").toString();
        assertTrue(errors.contains("\"steps[0].nodeId\""), errors);
        assertTrue(errors.contains("\"steps[1].procedureId\""), errors);
        assertTrue(errors.contains("\"steps[2].outputValueSelector\""), errors);
        assertTrue(errors.contains("\"steps[3].outputValueSelector\""), errors);
    }

    @Test
    void incompatibleInputAndChainingAreRejected() {
        Api.Reply input =
                api.post("api/v1/Pipelines", session.bearer(), body(text("x"), step(WORDS, "repeat-string", null)));
        assertEquals(422, input.status(), input.toString());
        assertTrue(input.body().contains("\"field\":\"input\""), input.body());

        Api.Reply chain = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                body(text("x"), step(DESCRIBER, "describe", null), step(DESCRIBER, "describe", null)));
        assertEquals(422, chain.status(), chain.toString());
        assertTrue(chain.body().contains("\"field\":\"steps[1]\""), chain.body());
    }

    @Test
    void emptyStepsUnknownFilesAndBadBatchInputsAreRejected() {
        Api.Reply empty = api.post("api/v1/Pipelines", session.bearer(), "{\"input\":" + text("x") + ",\"steps\":[]}");
        assertEquals(422, empty.status(), empty.toString());
        assertTrue(empty.body().contains("\"field\":\"steps\""), empty.body());

        String file = "{\"type\":\"ApFile\",\"id\":\"" + UUID.randomUUID() + "\",\"contentType\":\"text/plain\"}";
        Api.Reply foreign = api.post("api/v1/Pipelines", session.bearer(), body(file, step(SILENT, "wait", null)));
        assertEquals(422, foreign.status(), foreign.toString());
        assertTrue(foreign.body().contains("\"field\":\"input.id\""), foreign.body());

        Api.Reply batch = api.post(
                "api/v1/Pipelines/Batch",
                session.bearer(),
                "{\"inputs\":[" + text("ok") + ",{\"type\":\"ApInt\",\"value\":1}],\"steps\":["
                        + step(DESCRIBER, "describe", null) + "]}");
        assertEquals(422, batch.status(), batch.toString());
        assertTrue(batch.body().contains("\"field\":\"inputs[1]\""), batch.body());
        assertFalse(batch.body().contains("inputs[0]"), batch.body());
    }

    @Test
    void aBodyThatIsNotJsonIs400() {
        Api.Reply reply = api.post("api/v1/Pipelines", session.bearer(), "this is not json");
        assertEquals(400, reply.status(), reply.toString());
    }

    @Test
    void aNodeWithoutAQueueMakesTheAcceptedRunFailWith503() throws Exception {
        String nodeId = "it-gone-" + SUFFIX;
        try (TestNode gone = TestNodes.describer(nodeId).start()) {
            StartedNodes.awaitRegistered(api, session, nodeId);
            // The runner declares a node's queue right after recording its advert: delete it until
            // it stays deleted, so the runner's declaration cannot come after ours.
            int[] absentInARow = {0};
            Poll.until(
                    Duration.ofSeconds(15),
                    () -> {
                        try {
                            if (gone.queueExists()) {
                                gone.deleteQueue();
                                absentInARow[0] = 0;
                            } else {
                                absentInARow[0]++;
                            }
                            return absentInARow[0];
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    count -> count >= 10,
                    "queue of " + nodeId + " deleted for good");
            // Accepted at the commit; the broker's return then fails the run (publishing is asynchronous).
            Api.Reply reply =
                    api.post("api/v1/Pipelines", session.bearer(), body(text("x"), step(nodeId, "describe", null)));
            assertEquals(202, reply.status(), reply.toString());
            String pipelineId = reply.json().getJsonObject("pipeline").getString("id");
            JsonObject result = Poll.until(
                    Duration.ofSeconds(15),
                    () -> api.get("api/v1/PipelineResults/" + pipelineId, session.bearer())
                            .json()
                            .getJsonObject("result"),
                    found -> !"Running".equals(found.getString("status")),
                    "run of the unreachable node finished");
            assertEquals("Failed", result.getString("status"), result.toString());
            JsonObject step = result.getJsonArray("stepResults").getJsonObject(0);
            assertEquals(503, step.getJsonObject("failureReason").getInt("code"));
            assertEquals("node unreachable", step.getJsonObject("failureReason").getString("reason"));
        }
    }

    @Test
    void aFirstStepLeftInTheOutboxIsRelayedAndTheRunFinishes() throws Exception {
        // As if the runner crashed between the commit and the publish: a Running result and its
        // outbox row, nothing sent. The relay must send it (rows due now) and the run complete.
        UUID pipelineId = UUID.randomUUID();
        String step = "{\"pipelineId\":\"" + pipelineId + "\",\"userId\":\"" + session.userId() + "\","
                + "\"currentStep\":{\"nodeId\":\"" + WORDS
                + "\",\"procedureId\":\"repeat-string\",\"orderInPipeline\":1,"
                + "\"outputValueSelector\":null},\"currentStepInput\":" + repeatInput("relay", 2)
                + ",\"nextSteps\":[],\"fileReferences\":[]}";
        try (Connection db = database()) {
            try (PreparedStatement result = db.prepareStatement(
                    "insert into pipeline_results (id, pipeline_id, user_id, status, "
                            + "initial_input, step_count, created_at, updated_at) values (?, ?, ?, 'Running', ?, 1, now(), now())")) {
                result.setObject(1, UUID.randomUUID());
                result.setObject(2, pipelineId);
                result.setObject(3, session.userId());
                result.setString(4, repeatInput("relay", 2));
                result.executeUpdate();
            }
            try (PreparedStatement outbox =
                    db.prepareStatement("insert into outbox (message_id, exchange_name, routing_key, "
                            + "message_type, body, correlation_key, created_at, next_attempt_at) values (?, 'run-pipeline', ?, "
                            + "'RUN_PIPELINE_STEP', ?, ?, now(), now())")) {
                outbox.setObject(1, UUID.randomUUID());
                outbox.setString(2, "run-pipeline." + WORDS);
                outbox.setString(3, step);
                outbox.setString(4, pipelineId.toString());
                outbox.executeUpdate();
            }
            JsonObject result = resultWhenFinished(pipelineId.toString());
            assertEquals("Succeeded", result.getString("status"), result.toString());
            assertEquals(
                    "relayrelay",
                    result.getJsonArray("stepResults")
                            .getJsonObject(0)
                            .getJsonObject("result")
                            .getString("value"));
            // Confirmed rows are deleted in bulk by the publisher, asynchronously: the node may answer first.
            Poll.until(
                    Duration.ofSeconds(15),
                    () -> {
                        try (PreparedStatement left =
                                db.prepareStatement("select count(*) from outbox where correlation_key = ?")) {
                            left.setString(1, pipelineId.toString());
                            try (ResultSet count = left.executeQuery()) {
                                count.next();
                                return count.getInt(1);
                            }
                        } catch (java.sql.SQLException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    rows -> rows == 0,
                    "outbox row deleted after the confirm");
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(
                System.getProperty("it.db.url"),
                System.getProperty("it.db.user"),
                System.getProperty("it.db.password"));
    }
}
