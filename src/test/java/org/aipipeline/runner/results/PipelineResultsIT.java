package org.aipipeline.runner.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApInt;
import org.aipipeline.runner.apscheme.ApObject;
import org.aipipeline.runner.apscheme.ApString;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.pipelines.entity.PipelineFailed;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.StepCompleted;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The results side from the outside: runs are seeded Running straight into the database (as the
 * run side would record them), nodes' reports are published over the real RabbitMQ exactly as a
 * node publishes them, and the outcome is read back through the REST API and the database.
 */
class PipelineResultsIT extends DeployedRunner {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final String COMPLETED_EXCHANGE = "completed-pipeline-steps";
    static final String FAILED_EXCHANGE = "failed-pipelines";
    static final String DEAD_LETTERS = "runner-dead-letters-queue";
    static final String FINISHED_FANOUT = "runner-pipeline-finished";
    static final String INPUT =
            "{\"type\":\"ApObject\",\"properties\":{\"text\":{\"type\":\"ApString\",\"value\":\"hello\"}},"
                    + "\"nonRequiredProperties\":[]}";

    static Connection broker;

    @BeforeAll
    static void connectLikeANode() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(System.getProperty("it.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672"));
        broker = factory.newConnection("results-it-node");
        try (Channel channel = broker.createChannel()) {
            // A node declares what it publishes to, exactly as the runner does (idempotent).
            for (String[] fanout : new String[][] {
                {COMPLETED_EXCHANGE, "completed-pipeline-steps-queue"},
                {FAILED_EXCHANGE, "failed-pipelines-queue"},
                {"runner-dead-letters", DEAD_LETTERS}
            }) {
                channel.exchangeDeclare(fanout[0], BuiltinExchangeType.FANOUT, true);
                channel.queueDeclare(fanout[1], true, false, false, null);
                channel.queueBind(fanout[1], fanout[0], "");
            }
            channel.exchangeDeclare(FINISHED_FANOUT, BuiltinExchangeType.FANOUT, true);
        }
    }

    @AfterAll
    static void disconnect() throws IOException {
        if (broker != null) {
            broker.close();
        }
    }

    // ---- Recording steps -------------------------------------------------------------------------

    @Test
    void completedStepsAreStoredAndTheLastOneSucceedsThePipelineWithItsTime() {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 2, Instant.now());
        Instant first = at(1);
        Instant last = at(2);
        publish(completed(pipelineId, 1, first, new ApString("hellohello")));
        JsonObject halfway =
                awaitResult(user, pipelineId, r -> r.getJsonArray("stepResults").size() == 1);
        assertEquals("Running", halfway.getString("status"));
        assertEquals(JsonValue.NULL, halfway.get("finishedAt"));

        publish(completed(pipelineId, 2, last, new ApInt(java.math.BigInteger.TEN)));
        JsonObject done =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));
        assertEquals(last.toString(), done.getString("finishedAt"));
        List<JsonObject> steps = done.getJsonArray("stepResults").getValuesAs(JsonObject.class);
        assertEquals(List.of(1, 2), steps.stream().map(s -> s.getInt("order")).toList());
        assertEquals("hellohello", steps.get(0).getJsonObject("result").getString("value"));
        assertEquals(first.toString(), steps.get(0).getString("finishedAt"));
        assertEquals("text", steps.get(1).getString("outputValueSelector"));
        assertTrue(steps.get(1).getBoolean("wasSuccessful"));
        assertEquals(JsonValue.NULL, steps.get(1).get("failureReason"));
    }

    @Test
    void getShowsTheSpecsRawFieldNamesWithEmbeddedApElements() {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 1, Instant.now());
        publish(completed(
                pipelineId, 1, at(1), ApObject.of(Map.of("count", new ApInt(java.math.BigInteger.valueOf(3))))));
        awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));

        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId, user.bearer());
        assertEquals(200, reply.status(), reply.toString());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        String body = reply.body();
        assertTrue(body.startsWith("{\"result\":{\"id\":\""), body);
        for (String field : List.of(
                "\"userId\":\"" + user.userId() + "\"",
                "\"pipelineId\":\"" + pipelineId + "\"",
                "\"batchId\":null",
                "\"status\":\"Succeeded\"",
                "\"initialInput\":{\"type\":\"ApObject\"",
                "\"createdAt\":\"",
                "\"updatedAt\":\"",
                "\"finishedAt\":\"",
                "\"stepResults\":[{\"order\":1,\"id\":\"",
                "\"nodeId\":\"node-1\"",
                "\"nodeProcedureId\":\"procedure-1\"",
                "\"wasSuccessful\":true",
                "\"outputValueSelector\":null",
                "\"result\":{\"type\":\"ApObject\",\"properties\":{\"count\":{\"type\":\"ApInt\",\"value\":3}}",
                "\"failureReason\":null")) {
            assertTrue(body.contains(field), () -> field + " missing in " + body);
        }
        JsonObject result = reply.json().getJsonObject("result");
        assertTrue(result.getString("createdAt").endsWith("Z"), result.toString());
    }

    @Test
    void stepsArrivingOutOfOrderAreAllStoredAndTheRunFinishesAtTheLastStepsTime() {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 3, Instant.now());
        publish(completed(pipelineId, 3, at(3), new ApString("three")));
        publish(completed(pipelineId, 1, at(1), new ApString("one")));
        JsonObject waiting =
                awaitResult(user, pipelineId, r -> r.getJsonArray("stepResults").size() == 2);
        assertEquals("Running", waiting.getString("status"), "step 2 is still missing");

        publish(completed(pipelineId, 2, at(2), new ApString("two")));
        JsonObject done =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));
        assertEquals(at(3).toString(), done.getString("finishedAt"));
        assertEquals(
                List.of("one", "two", "three"),
                done.getJsonArray("stepResults").getValuesAs(JsonObject.class).stream()
                        .map(s -> s.getJsonObject("result").getString("value"))
                        .toList());
    }

    @Test
    void aStepDeliveredSeveralTimesIsStoredOnce() {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 2, Instant.now());
        StepCompleted step1 = completed(pipelineId, 1, at(1), new ApString("once"));
        publish(step1);
        publish(step1);
        publish(step1);
        JsonObject stored =
                awaitResult(user, pipelineId, r -> r.getJsonArray("stepResults").size() == 1);
        String stepId = stored.getJsonArray("stepResults").getJsonObject(0).getString("id");

        publish(completed(pipelineId, 2, at(2), new ApString("last")));
        awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));
        // Reports are handled concurrently, so "first stored wins" is only observable once the
        // first is stored: a later duplicate with other content must change nothing. The barrier
        // run is published after it; once the barrier is stored the duplicate has been taken too.
        publish(completed(pipelineId, 2, at(9), new ApString("again")));
        UUID barrier = seedRun(user.userId(), null, 1, Instant.now());
        publish(completed(barrier, 1, at(1), new ApString("barrier")));
        awaitResult(user, barrier, r -> r.getString("status").equals("Succeeded"));
        JsonObject done =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));
        assertEquals(
                stepId, done.getJsonArray("stepResults").getJsonObject(0).getString("id"), "step 1 never rewritten");
        assertEquals(2, countRows("select count(*) from step_results where pipeline_id = ?", pipelineId));
        assertEquals(at(2).toString(), done.getString("finishedAt"));
        assertEquals(
                "last",
                done.getJsonArray("stepResults")
                        .getJsonObject(1)
                        .getJsonObject("result")
                        .getString("value"));
    }

    @Test
    void manyConcurrentAndRepeatedReportsOfOnePipelineAreEachStoredOnce() {
        Session user = Session.register(api);
        int steps = 20;
        UUID pipelineId = seedRun(user.userId(), null, steps, Instant.now());
        for (int order = steps; order >= 1; order--) { // last first, each twice: the worst arrival order
            publish(completed(pipelineId, order, at(order), new ApString("step " + order)));
            publish(completed(pipelineId, order, at(order + 100), new ApString("again " + order)));
        }
        JsonObject done =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Succeeded"));
        // Both reports of a step race through concurrent handlers; whichever is stored first wins,
        // and the run's finishedAt is the stored last step's time.
        JsonArray stored = done.getJsonArray("stepResults");
        assertEquals(stored.getJsonObject(steps - 1).getString("finishedAt"), done.getString("finishedAt"));
        assertTrue(List.of(at(steps).toString(), at(steps + 100).toString()).contains(done.getString("finishedAt")));
        assertEquals(steps, countRows("select count(*) from step_results where pipeline_id = ?", pipelineId));
        assertEquals(steps, done.getJsonArray("stepResults").size());
    }

    @Test
    void aBatchWhosePipelinesFinishAllAtOnceStillFinishes() {
        Session user = Session.register(api);
        int size = 12;
        UUID batchId = seedBatch(user.userId(), size);
        List<UUID> runs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            runs.add(seedRun(user.userId(), batchId, 1, Instant.now()));
        }
        for (int i = 0; i < size; i++) {
            publish(completed(runs.get(i), 1, at(i), new ApString("item " + i)));
        }
        JsonObject done = Poll.until(
                WAIT,
                () -> batch(user, batchId, "?pageSize=100"),
                batch -> batch.get("finishedAt") != JsonValue.NULL,
                "the batch to finish");
        assertEquals(size, done.getInt("successfullyCompletedPipelineCount"));
        assertEquals(0, done.getInt("failedPipelineCount"));
        assertEquals(
                at(size - 1).toString(), done.getString("finishedAt"), "the latest of its pipelines' finish times");
        assertEquals(size, done.getJsonArray("pipelineResults").size());
    }

    @Test
    void aFailureFailsThePipelineAndRecordsTheRemainingStepsAsNotRun() {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 3, Instant.now());
        publish(completed(pipelineId, 1, at(1), new ApString("fine")));
        awaitResult(user, pipelineId, r -> r.getJsonArray("stepResults").size() == 1);
        publish(failed(pipelineId, 2, at(2), 422, "Cannot read the input", "FormatException: bad text", 3));

        JsonObject done =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Failed"));
        assertEquals(at(2).toString(), done.getString("finishedAt"));
        List<JsonObject> steps = done.getJsonArray("stepResults").getValuesAs(JsonObject.class);
        assertEquals(3, steps.size());
        assertTrue(steps.get(0).getBoolean("wasSuccessful"));
        JsonObject failedStep = steps.get(1);
        assertFalse(failedStep.getBoolean("wasSuccessful"));
        assertEquals(JsonValue.NULL, failedStep.get("result"));
        assertEquals(at(2).toString(), failedStep.getString("finishedAt"));
        assertEquals(422, failedStep.getJsonObject("failureReason").getInt("code"));
        assertEquals(
                "Cannot read the input: FormatException: bad text",
                failedStep.getJsonObject("failureReason").getString("reason"));
        JsonObject notRun = steps.get(2);
        assertFalse(notRun.getBoolean("wasSuccessful"));
        assertEquals(JsonValue.NULL, notRun.get("finishedAt"));
        assertEquals("node-3", notRun.getString("nodeId"));
        assertEquals(
                "Not run: step 2 failed", notRun.getJsonObject("failureReason").getString("reason"));
    }

    @Test
    void lateReportsAfterAFailureFillGapsAndReportsForClosedStepsAreDeadLettered() throws Exception {
        Session user = Session.register(api);
        UUID pipelineId = seedRun(user.userId(), null, 3, Instant.now());
        publish(failed(pipelineId, 2, at(2), 500, "Node crashed", null, 3));
        JsonObject failedRun =
                awaitResult(user, pipelineId, r -> r.getString("status").equals("Failed"));
        assertEquals(2, failedRun.getJsonArray("stepResults").size());

        String impossible = publish(completed(pipelineId, 3, at(3), new ApString("impossible")));
        publish(completed(pipelineId, 1, at(1), new ApString("late but real")));
        String again = publish(failed(pipelineId, 2, at(9), 500, "Node crashed again", null, 3));
        JsonObject late =
                awaitResult(user, pipelineId, r -> r.getJsonArray("stepResults").size() == 3);
        assertEquals("Failed", late.getString("status"));
        assertEquals(at(2).toString(), late.getString("finishedAt"));
        List<JsonObject> steps = late.getJsonArray("stepResults").getValuesAs(JsonObject.class);
        assertEquals("late but real", steps.get(0).getJsonObject("result").getString("value"));
        assertEquals("Node crashed", steps.get(1).getJsonObject("failureReason").getString("reason"));
        assertFalse(steps.get(2).getBoolean("wasSuccessful"), "the not-run step is not overwritten");
        // Step 3 will never run and step 2 is recorded: neither is open, so both reports are refused with the reason.
        for (Map.Entry<String, Integer> closed : Map.of(impossible, 3, again, 2).entrySet()) {
            String reason = String.valueOf(deadLettered(closed.getKey()).get("x-runner-rejection-reason"));
            assertTrue(
                    reason.startsWith("Conflict: Step " + closed.getValue() + " of pipeline " + pipelineId
                            + " is no longer open"),
                    reason);
        }
    }

    // ---- Dead letters ------------------------------------------------------------------------------

    @Test
    void aReportForAnUnknownPipelineIsDeadLetteredWithTheReason() throws Exception {
        UUID unknown = UUID.randomUUID();
        String messageId = publish(completed(unknown, 1, at(1), new ApString("nobody's")));
        Map<String, Object> headers = deadLettered(messageId);
        String reason = String.valueOf(headers.get("x-runner-rejection-reason"));
        assertTrue(reason.contains(unknown.toString()), reason);
        assertEquals("completed-pipeline-steps-queue", String.valueOf(headers.get("x-runner-original-queue")));

        String failureId = publish(failed(unknown, 1, at(1), 500, "x", null));
        assertTrue(String.valueOf(deadLettered(failureId).get("x-runner-rejection-reason"))
                .contains(unknown.toString()));
    }

    @Test
    void unparseableReportsAreDeadLetteredWithTheFieldThatIsWrong() throws Exception {
        String garbage = publishRaw(COMPLETED_EXCHANGE, MessageType.STEP_COMPLETED, "{not json");
        assertTrue(String.valueOf(deadLettered(garbage).get("x-runner-rejection-reason"))
                .startsWith("unparseable StepCompleted"));

        JsonObject valid = Json.createReader(new StringReader(
                        failed(UUID.randomUUID(), 1, at(1), 500, "x", null).toJson()))
                .readObject();
        String noCode = publishRaw(
                FAILED_EXCHANGE,
                MessageType.PIPELINE_FAILED,
                Json.createObjectBuilder(valid).remove("failureCode").build().toString());
        String reason = String.valueOf(deadLettered(noCode).get("x-runner-rejection-reason"));
        assertTrue(reason.contains("failureCode"), reason);
    }

    // ---- Reading -----------------------------------------------------------------------------------

    @Test
    void listIsNewestFirstAndPaginated() {
        Session user = Session.register(api);
        Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID oldest = seedRun(user.userId(), null, 1, base.minusSeconds(30));
        UUID middle = seedRun(user.userId(), null, 1, base.minusSeconds(20));
        UUID newest = seedRun(user.userId(), null, 1, base.minusSeconds(10));

        Api.Reply first = api.get("api/v1/PipelineResults?pageSize=2", user.bearer());
        assertEquals(200, first.status(), first.toString());
        assertEquals(
                List.of(newest.toString(), middle.toString()),
                pipelineIds(first.json().getJsonArray("items")));
        JsonObject pagination = first.json().getJsonObject("pagination");
        assertEquals(1, pagination.getInt("pageNumber"));
        assertEquals(2, pagination.getInt("pageSize"));
        assertEquals(2, pagination.getInt("totalPages"));
        assertEquals(3, pagination.getInt("totalCount"));
        assertFalse(pagination.getBoolean("hasPreviousPage"));
        assertTrue(pagination.getBoolean("hasNextPage"));

        Api.Reply second = api.get("api/v1/PipelineResults?pageNumber=2&pageSize=2", user.bearer());
        assertEquals(List.of(oldest.toString()), pipelineIds(second.json().getJsonArray("items")));
        assertFalse(second.json().getJsonObject("pagination").getBoolean("hasNextPage"));

        assertEquals(
                400,
                api.get("api/v1/PipelineResults?pageSize=101", user.bearer()).status());
        assertEquals(
                400,
                api.get("api/v1/PipelineResults?pageNumber=x", user.bearer()).status());
        assertEquals(401, api.get("api/v1/PipelineResults", null).status());
    }

    @Test
    void otherUsersResultsAndBatchesAreNotFoundAndMalformedIdsAreBadRequests() {
        Session owner = Session.register(api);
        Session stranger = Session.register(api);
        UUID batchId = seedBatch(owner.userId(), 1);
        UUID pipelineId = seedRun(owner.userId(), batchId, 1, Instant.now());

        assertEquals(
                200,
                api.get("api/v1/PipelineResults/" + pipelineId, owner.bearer()).status());
        Api.Reply foreign = api.get("api/v1/PipelineResults/" + pipelineId, stranger.bearer());
        assertEquals(404, foreign.status(), foreign.toString());
        assertTrue(foreign.contentType().startsWith("application/problem+json"), foreign.contentType());
        assertEquals(
                404,
                api.get("api/v1/PipelineResults/" + UUID.randomUUID(), owner.bearer())
                        .status());
        assertEquals(
                404,
                api.get("api/v1/PipelineResults/Batch/" + batchId, stranger.bearer())
                        .status());
        assertEquals(
                404,
                api.get("api/v1/PipelineResults/Batch/" + UUID.randomUUID(), owner.bearer())
                        .status());
        assertEquals(
                0,
                api.get("api/v1/PipelineResults", stranger.bearer())
                        .json()
                        .getJsonArray("items")
                        .size());

        Api.Reply badId = api.get("api/v1/PipelineResults/not-a-uuid", owner.bearer());
        assertEquals(400, badId.status(), badId.toString());
        assertTrue(badId.contentType().startsWith("application/problem+json"));
        assertEquals(
                400, api.get("api/v1/PipelineResults/Batch/123", owner.bearer()).status());
    }

    @Test
    void batchCountsOutcomesFromItsCountSlotsPaginatesItsResultsAndFinishesWithItsLastPipeline() {
        Session user = Session.register(api);
        UUID batchId = seedBatch(user.userId(), 3);
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        UUID a = seedRun(user.userId(), batchId, 1, created);
        UUID b = seedRun(user.userId(), batchId, 1, created.plusMillis(1));
        UUID c = seedRun(user.userId(), batchId, 1, created.plusMillis(2));

        publish(completed(a, 1, at(1), new ApString("a")));
        publish(failed(b, 1, at(2), 503, "node unreachable", null));
        JsonObject partly = Poll.until(
                WAIT,
                () -> batch(user, batchId, ""),
                batch -> batch.getInt("successfullyCompletedPipelineCount") == 1
                        && batch.getInt("failedPipelineCount") == 1,
                "two of three pipelines finished");
        assertEquals(3, partly.getInt("totalPipelineCount"));
        assertEquals(JsonValue.NULL, partly.get("finishedAt"));
        assertEquals(batchId.toString(), partly.getString("id"));
        assertEquals(user.userId().toString(), partly.getString("userId"));

        publish(completed(c, 1, at(3), new ApString("c")));
        JsonObject done = Poll.until(
                WAIT,
                () -> batch(user, batchId, ""),
                batch -> batch.get("finishedAt") != JsonValue.NULL,
                "the batch to finish");
        assertEquals(at(3).toString(), done.getString("finishedAt"), "the batch finishes when its last pipeline did");
        assertEquals(2, done.getInt("successfullyCompletedPipelineCount"));
        assertEquals(1, done.getInt("failedPipelineCount"));
        assertEquals(2, countRows("select sum(succeeded) from pipeline_batch_counts where batch_id = ?", batchId));
        assertEquals(1, countRows("select sum(failed) from pipeline_batch_counts where batch_id = ?", batchId));
        // Counted once per run: a late duplicate report of a finished run adds nothing.
        publish(completed(c, 1, at(7), new ApString("again")));
        UUID barrier = seedRun(user.userId(), null, 1, Instant.now());
        publish(completed(barrier, 1, at(1), new ApString("barrier")));
        awaitResult(user, barrier, r -> r.getString("status").equals("Succeeded"));
        assertEquals(2, batch(user, batchId, "").getInt("successfullyCompletedPipelineCount"));

        JsonObject page1 = batch(user, batchId, "?pageSize=2");
        assertEquals(List.of(a.toString(), b.toString()), pipelineIds(page1.getJsonArray("pipelineResults")));
        assertEquals(3, page1.getJsonObject("pagination").getInt("totalCount"));
        assertTrue(page1.getJsonObject("pagination").getBoolean("hasNextPage"));
        JsonObject page2 = batch(user, batchId, "?pageSize=2&pageNumber=2");
        assertEquals(List.of(c.toString()), pipelineIds(page2.getJsonArray("pipelineResults")));
        assertEquals(
                "Succeeded",
                page2.getJsonArray("pipelineResults").getJsonObject(0).getString("status"));
        assertEquals(
                1,
                page2.getJsonArray("pipelineResults")
                        .getJsonObject(0)
                        .getJsonArray("stepResults")
                        .size());
    }

    @Test
    void batchCountsAreTheSumsOfItsSlotsNeverACountOfItsResults() {
        Session user = Session.register(api);
        UUID batchId = seedBatch(user.userId(), 5);
        UUID run = seedRun(user.userId(), batchId, 1, Instant.now());
        // What finishing runs wrote into other slots, and a result finished behind the counters' back.
        update("update pipeline_batch_counts set succeeded = 2, failed = 1 where batch_id = ? and slot = 3", batchId);
        update("update pipeline_batch_counts set succeeded = 1 where batch_id = ? and slot = 6", batchId);
        update("update pipeline_results set status = 'Failed' where pipeline_id = ?", run);

        Api.Reply reply = api.get("api/v1/PipelineResults/Batch/" + batchId, user.bearer());
        assertEquals(200, reply.status(), reply.toString());
        String body = reply.body();
        for (String field : List.of(
                "\"totalPipelineCount\":5",
                "\"successfullyCompletedPipelineCount\":3",
                "\"failedPipelineCount\":1",
                "\"totalCount\":5",
                "\"totalCountExact\":true",
                "\"nextCursor\":null")) {
            assertTrue(body.contains(field), () -> field + " missing in " + body);
        }
    }

    @Test
    void cursorPagingReturnsEveryResultOnceInTheListingsOrder() {
        Session user = Session.register(api);
        Instant newest = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        seedRuns(user.userId(), 23, newest);
        for (int i = 0; i < 4; i++) { // ties on created_at: the id decides, and the cursor must keep it
            seedRun(user.userId(), null, 1, newest.minusMillis(5));
        }
        List<String> expected = pipelineIdsInOrder("user_id", "created_at desc, id desc", user.userId());
        assertEquals(27, expected.size());

        List<String> seen = new ArrayList<>();
        String query = "?pageSize=5";
        for (int page = 1; page <= 6; page++) {
            Api.Reply reply = api.get("api/v1/PipelineResults" + query, user.bearer());
            assertEquals(200, reply.status(), reply.toString());
            seen.addAll(pipelineIds(reply.json().getJsonArray("items")));
            JsonObject pagination = reply.json().getJsonObject("pagination");
            assertEquals(page, pagination.getInt("pageNumber"));
            assertEquals(27, pagination.getInt("totalCount"));
            assertEquals(6, pagination.getInt("totalPages"));
            assertTrue(pagination.getBoolean("totalCountExact"));
            assertEquals(page > 1, pagination.getBoolean("hasPreviousPage"));
            assertEquals(page < 6, pagination.getBoolean("hasNextPage"));
            if (page < 6) {
                // The same page by number and by cursor is the same page.
                Api.Reply numbered = api.get("api/v1/PipelineResults?pageSize=5&pageNumber=" + page, user.bearer());
                assertEquals(
                        pipelineIds(reply.json().getJsonArray("items")),
                        pipelineIds(numbered.json().getJsonArray("items")));
                query = "?pageSize=5&after=" + pagination.getString("nextCursor");
            } else {
                assertEquals(JsonValue.NULL, pagination.get("nextCursor"));
            }
        }
        assertEquals(expected, seen, "every result once, newest first");
    }

    @Test
    void cursorPagingOfABatchReturnsEveryResultOnceInCreationOrder() {
        Session user = Session.register(api);
        int size = 13;
        UUID batchId = seedBatch(user.userId(), size);
        Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < size; i++) {
            seedRun(user.userId(), batchId, 1, created.plusMillis(i / 3)); // three at a time share created_at
        }
        List<String> expected = pipelineIdsInOrder("batch_id", "created_at, id", batchId);

        List<String> seen = new ArrayList<>();
        String query = "?pageSize=4";
        JsonObject pagination;
        do {
            JsonObject batch = batch(user, batchId, query);
            seen.addAll(pipelineIds(batch.getJsonArray("pipelineResults")));
            pagination = batch.getJsonObject("pagination");
            assertEquals(size, pagination.getInt("totalCount"));
            query = "?pageSize=4&pageNumber=" + (pagination.getInt("pageNumber") + 1) + "&after="
                    + (pagination.get("nextCursor") == JsonValue.NULL ? "" : pagination.getString("nextCursor"));
        } while (pagination.getBoolean("hasNextPage"));
        assertEquals(4, pagination.getInt("pageNumber"));
        assertEquals(expected, seen, "every result once, in creation order");
    }

    @Test
    void aBadCursorIsABadRequestProblem() {
        Session user = Session.register(api);
        UUID batchId = seedBatch(user.userId(), 3);
        for (int i = 0; i < 3; i++) {
            seedRun(user.userId(), batchId, 1, Instant.now());
        }
        String batchCursor =
                batch(user, batchId, "?pageSize=1").getJsonObject("pagination").getString("nextCursor");

        for (String path : List.of(
                "api/v1/PipelineResults?after=not-a-cursor",
                "api/v1/PipelineResults?after=" + batchCursor,
                "api/v1/PipelineResults/Batch/" + batchId + "?after=%7C%7C%7C",
                "api/v1/PipelineResults/Batch/" + batchId + "?pageSize=1&pageNumber=3&after=" + batchCursor)) {
            Api.Reply reply = api.get(path, user.bearer());
            assertEquals(400, reply.status(), path + " " + reply);
            assertTrue(reply.contentType().startsWith("application/problem+json"), reply.contentType());
            String body = reply.body();
            assertTrue(body.contains("\"status\":400"), body);
            assertTrue(body.contains("\"title\":\"Bad Request\""), body);
            assertTrue(body.matches("(?s).*\"detail\":\"(after|pageNumber) .*"), body);
        }
    }

    @Test
    void beyondTenThousandResultsTheTotalIsAnEstimateUntilTheLastPage() {
        Session user = Session.register(api);
        seedRuns(user.userId(), 10_050, Instant.now().truncatedTo(ChronoUnit.MILLIS));

        JsonObject first = api.get("api/v1/PipelineResults?pageSize=100", user.bearer())
                .json()
                .getJsonObject("pagination");
        assertFalse(first.getBoolean("totalCountExact"), first.toString());
        assertTrue(first.getJsonNumber("totalCount").longValue() > 10_000, first.toString());
        assertTrue(first.getBoolean("hasNextPage"));

        JsonObject last = api.get("api/v1/PipelineResults?pageSize=100&pageNumber=101", user.bearer())
                .json()
                .getJsonObject("pagination");
        assertEquals(10_050, last.getInt("totalCount"), last.toString());
        assertTrue(last.getBoolean("totalCountExact"));
        assertEquals(101, last.getInt("totalPages"));
        assertFalse(last.getBoolean("hasNextPage"));
    }

    // ---- Announcements and deletion ----------------------------------------------------------------

    @Test
    void finishedPipelinesAreAnnouncedOnTheRunnerFanout() throws Exception {
        BlockingQueue<JsonObject> announced = new LinkedBlockingQueue<>();
        try (Channel channel = broker.createChannel()) {
            String queue = channel.queueDeclare().getQueue(); // exclusive, auto-delete: like an awaiting instance
            channel.queueBind(queue, FINISHED_FANOUT, "");
            channel.basicConsume(
                    queue,
                    true,
                    (tag, delivery) -> {
                        assertEquals(
                                MessageType.PIPELINE_FINISHED.dotnetName(),
                                String.valueOf(
                                        delivery.getProperties().getHeaders().get(MessageType.HEADER)));
                        announced.add(Json.createReader(
                                        new StringReader(new String(delivery.getBody(), StandardCharsets.UTF_8)))
                                .readObject());
                    },
                    tag -> {});

            Session user = Session.register(api);
            UUID succeeding = seedRun(user.userId(), null, 1, Instant.now());
            UUID failing = seedRun(user.userId(), null, 2, Instant.now());
            publish(completed(succeeding, 1, at(1), new ApString("ok")));
            publish(failed(failing, 1, at(1), 500, "boom", null, 2));

            assertEquals(
                    Map.of(succeeding.toString(), "Succeeded", failing.toString(), "Failed"),
                    announcementsFor(announced, List.of(succeeding, failing)));
        }
    }

    @Test
    void deletingTheUserDeletesTheirResultsStepsAndBatches() {
        Session user = Session.register(api);
        Session other = Session.register(api);
        UUID batchId = seedBatch(user.userId(), 1);
        UUID inBatch = seedRun(user.userId(), batchId, 1, Instant.now());
        UUID single = seedRun(user.userId(), null, 2, Instant.now());
        UUID othersRun = seedRun(other.userId(), null, 1, Instant.now());
        publish(completed(inBatch, 1, at(1), new ApString("x")));
        publish(completed(single, 1, at(1), new ApString("y")));
        publish(completed(othersRun, 1, at(1), new ApString("z")));
        awaitResult(user, inBatch, r -> r.getString("status").equals("Succeeded"));
        awaitResult(user, single, r -> r.getJsonArray("stepResults").size() == 1);
        awaitResult(other, othersRun, r -> r.getString("status").equals("Succeeded"));

        Api.Reply deleted = api.delete("api/v1/Users/" + user.userId(), user.bearer());
        assertEquals(204, deleted.status(), deleted.toString());

        assertEquals(0, countRows("select count(*) from pipeline_results where user_id = ?", user.userId()));
        assertEquals(0, countRows("select count(*) from pipeline_batches where user_id = ?", user.userId()));
        assertEquals(0, countRows("select count(*) from step_results where pipeline_id = ?", inBatch));
        assertEquals(0, countRows("select count(*) from step_results where pipeline_id = ?", single));
        assertEquals(
                1,
                countRows("select count(*) from step_results where pipeline_id = ?", othersRun),
                "others keep theirs");
        assertEquals(
                200,
                api.get("api/v1/PipelineResults/" + othersRun, other.bearer()).status());
    }

    // ---- Node side: reports as a node publishes them ------------------------------------------------

    static Instant at(int second) {
        return Instant.parse("2025-06-01T12:00:00.123456Z").plusSeconds(second);
    }

    static ProcedureIdentifier step(int order) {
        return new ProcedureIdentifier("node-" + order, "procedure-" + order, order, order == 2 ? "text" : null);
    }

    static StepCompleted completed(UUID pipelineId, int order, Instant at, ApElement result) {
        return new StepCompleted(pipelineId, step(order), at, result, List.of());
    }

    static PipelineFailed failed(
            UUID pipelineId, int order, Instant at, int code, String reason, String exception, int... remaining) {
        List<ProcedureIdentifier> rest = new ArrayList<>();
        for (int r : remaining) {
            rest.add(step(r));
        }
        return new PipelineFailed(pipelineId, step(order), at, code, reason, exception, rest);
    }

    static String publish(StepCompleted message) {
        return publishRaw(COMPLETED_EXCHANGE, MessageType.STEP_COMPLETED, message.toJson());
    }

    static String publish(PipelineFailed message) {
        return publishRaw(FAILED_EXCHANGE, MessageType.PIPELINE_FAILED, message.toJson());
    }

    /** Publishes like a WolverineFx node: persistent JSON, a unique message id, the .NET type header. */
    static String publishRaw(String exchange, MessageType type, String body) {
        String messageId = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(messageId)
                .headers(Map.of(MessageType.HEADER, type.dotnetName()))
                .build();
        try (Channel channel = broker.createChannel()) {
            channel.confirmSelect();
            channel.basicPublish(exchange, "", properties, body.getBytes(StandardCharsets.UTF_8));
            channel.waitForConfirmsOrDie(5_000);
        } catch (Exception e) {
            throw new IllegalStateException("publishing to " + exchange + " failed", e);
        }
        return messageId;
    }

    /**
     * Finds this test's message in the shared dead-letter queue by its message id; other messages
     * seen on the way are returned to the queue untouched (the channel closes without acking them).
     */
    static Map<String, Object> deadLettered(String messageId) throws Exception {
        try (Channel channel = broker.createChannel()) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                GetResponse response = channel.basicGet(DEAD_LETTERS, false);
                if (response == null) {
                    TimeUnit.MILLISECONDS.sleep(100);
                    continue;
                }
                if (messageId.equals(response.getProps().getMessageId())) {
                    channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
                    Map<String, Object> headers = response.getProps().getHeaders();
                    assertNotNull(headers, "dead letter without headers");
                    return headers;
                }
            }
        }
        throw new AssertionError("message " + messageId + " did not reach " + DEAD_LETTERS + " within " + WAIT);
    }

    /** No message about this pipeline sits in the dead-letter queue (late reports are not errors). */
    static Map<String, String> announcementsFor(BlockingQueue<JsonObject> announced, List<UUID> pipelineIds)
            throws InterruptedException {
        Map<String, String> seen = new java.util.HashMap<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (seen.size() < pipelineIds.size() && System.nanoTime() < deadline) {
            JsonObject message = announced.poll(200, TimeUnit.MILLISECONDS);
            if (message == null) {
                continue;
            }
            // Announcements carry many runs: {"finished": [{"pipelineId", "status"}, ...]}.
            assertEquals(List.of("finished"), List.copyOf(message.keySet()));
            for (JsonObject run : message.getJsonArray("finished").getValuesAs(JsonObject.class)) {
                if (pipelineIds.contains(UUID.fromString(run.getString("pipelineId")))) {
                    assertEquals(List.of("pipelineId", "status"), List.copyOf(run.keySet()));
                    seen.put(run.getString("pipelineId"), run.getString("status"));
                }
            }
        }
        return seen;
    }

    // ---- REST side ---------------------------------------------------------------------------------

    JsonObject result(Session user, UUID pipelineId) {
        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId, user.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("result");
    }

    JsonObject awaitResult(Session user, UUID pipelineId, java.util.function.Predicate<JsonObject> done) {
        return Poll.until(WAIT, () -> result(user, pipelineId), done, "pipeline " + pipelineId);
    }

    JsonObject batch(Session user, UUID batchId, String query) {
        Api.Reply reply = api.get("api/v1/PipelineResults/Batch/" + batchId + query, user.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("batch");
    }

    static List<String> pipelineIds(jakarta.json.JsonArray results) {
        return results.getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("pipelineId"))
                .toList();
    }

    // ---- Database side: what the run side records before dispatching ---------------------------------

    static java.sql.Connection database() throws SQLException {
        return DriverManager.getConnection(
                System.getProperty("it.db.url"),
                System.getProperty("it.db.user"),
                System.getProperty("it.db.password"));
    }

    /** A batch as the run side creates it: the row and its 8 empty count slots. */
    static UUID seedBatch(UUID userId, int total) {
        UUID id = UUID.randomUUID();
        update(
                "insert into pipeline_batches (id, user_id, total_pipeline_count, created_at) values (?, ?, ?, ?)",
                id,
                userId,
                total,
                Instant.now());
        update("insert into pipeline_batch_counts (batch_id, slot) select ?, s from generate_series(0, 7) s", id);
        return id;
    }

    /** {@code count} Running results of the user (one statement), {@code created} apart by 1 ms, newest first. */
    static void seedRuns(UUID userId, int count, Instant newest) {
        update(
                "insert into pipeline_results (id, pipeline_id, user_id, status, initial_input, step_count, created_at, "
                        + "updated_at) select gen_random_uuid(), gen_random_uuid(), ?, 'Running', ?, 1, "
                        + "cast(? as timestamp with time zone) - g * interval '1 millisecond', now() "
                        + "from generate_series(0, ? - 1) g",
                userId,
                INPUT,
                newest,
                count);
    }

    /** The listing's order as the database sorts it (uuids compare unsigned there, not as in Java). */
    static List<String> pipelineIdsInOrder(String where, String order, UUID scope) {
        String sql = "select pipeline_id from pipeline_results where " + where + " = ? order by " + order;
        try (java.sql.Connection db = database();
                PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, scope);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static UUID seedRun(UUID userId, UUID batchId, int steps, Instant createdAt) {
        UUID pipelineId = UUID.randomUUID();
        update(
                "insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, initial_input, step_count, "
                        + "created_at, updated_at) values (?, ?, ?, ?, 'Running', ?, ?, ?, ?)",
                UUID.randomUUID(),
                pipelineId,
                userId,
                batchId,
                INPUT,
                steps,
                createdAt,
                createdAt);
        return pipelineId;
    }

    static void update(String sql, Object... parameters) {
        try (java.sql.Connection db = database();
                PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, parameters);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    static long countRows(String sql, Object... parameters) {
        try (java.sql.Connection db = database();
                PreparedStatement statement = db.prepareStatement(sql)) {
            bind(statement, parameters);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            Object value = parameters[i] instanceof Instant instant ? instant.atOffset(ZoneOffset.UTC) : parameters[i];
            if (value == null) {
                statement.setNull(i + 1, java.sql.Types.OTHER);
            } else {
                statement.setObject(i + 1, value);
            }
        }
    }
}
