package org.aipipeline.runner.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.aipipeline.runner.apscheme.ApElement;
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

/** Run control end to end (issue 13): idempotent submission, on the real broker and database. */
class RunControlIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WORDS = "it-rc-words-" + SUFFIX;
    private static final String SILENT = "it-rc-silent-" + SUFFIX;
    private static final String HONOURING = "it-rc-honouring-" + SUFFIX;
    private static final String IGNORING = "it-rc-ignoring-" + SUFFIX;
    /** Counted down when a slow node starts its step; the ignoring node's step ends when released. */
    private static final CountDownLatch HONOURING_STARTED = new CountDownLatch(1);

    private static final CountDownLatch IGNORING_STARTED = new CountDownLatch(1);
    private static final CountDownLatch HONOURING_RELEASE = new CountDownLatch(1);
    private static final CountDownLatch IGNORING_RELEASE = new CountDownLatch(1);
    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (RunControlIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNodes.wordProcessor(WORDS),
                        TestNode.named(SILENT)
                                .procedure("wait", TestNodes.STRING, TestNodes.STRING, x -> x)
                                .silent(),
                        TestNode.named(HONOURING)
                                .procedure(
                                        "slow",
                                        TestNodes.STRING,
                                        TestNodes.STRING,
                                        x -> slow(HONOURING_STARTED, HONOURING_RELEASE, x))
                                .honouringCancellations(),
                        TestNode.named(IGNORING)
                                .procedure(
                                        "slow",
                                        TestNodes.STRING,
                                        TestNodes.STRING,
                                        x -> slow(IGNORING_STARTED, IGNORING_RELEASE, x)));
            }
        }
    }

    /** A step that runs until the test releases it. */
    private static ApElement slow(CountDownLatch started, CountDownLatch release, ApElement input) {
        started.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return input;
    }

    @AfterAll
    static void stopNodes() throws Exception {
        HONOURING_RELEASE.countDown();
        IGNORING_RELEASE.countDown();
        if (nodes != null) {
            nodes.close();
        }
    }

    private static String repeat(String value, int count) {
        return "{\"input\":{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\""
                + value
                + "\"},\"repetitionCount\":{\"type\":\"ApInt\",\"value\":" + count + "}}},\"steps\":[{\"nodeId\":\""
                + WORDS
                + "\",\"procedureId\":\"repeat-string\"}]";
    }

    private Api.Reply post(String path, String key, String json) {
        return api.send(api.request(path, session.bearer())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private long runsOfUser() throws SQLException {
        try (Connection db = DriverManager.getConnection(
                        System.getProperty("it.db.url"),
                        System.getProperty("it.db.user"),
                        System.getProperty("it.db.password"));
                PreparedStatement count =
                        db.prepareStatement("select count(*) from pipeline_results where user_id = ?")) {
            count.setObject(1, session.userId());
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void aRepeatedKeyReplaysTheOriginalAnswerAndStartsNothing() throws Exception {
        String key = "order-" + UUID.randomUUID();
        Api.Reply first = post("api/v1/Pipelines", key, repeat("ab", 2) + "}");
        assertEquals(202, first.status(), first.toString());
        assertTrue(first.header("Idempotent-Replayed").isEmpty(), first.toString());
        String id = first.json().getJsonObject("pipeline").getString("id");

        // The same request, laid out differently: compared as parsed JSON, not as bytes.
        Api.Reply again = post("api/v1/Pipelines", key, "\n" + repeat("ab", 2).replace(",", " ,\n  ") + " }");
        assertEquals(202, again.status(), again.toString());
        assertEquals("true", again.header("Idempotent-Replayed").orElse(null), again.toString());
        assertEquals(first.json(), again.json());
        assertEquals(first.header("Location"), again.header("Location"));
        assertEquals(1, runsOfUser());

        Api.Reply other = post("api/v1/Pipelines", "another-" + key, repeat("ab", 2) + "}");
        assertEquals(202, other.status(), other.toString());
        assertFalse(id.equals(other.json().getJsonObject("pipeline").getString("id")));
        assertEquals(2, runsOfUser());
    }

    @Test
    void theSameKeyWithAnotherBodyOrEndpointIs422AndAnotherUsersKeyIsTheirs() throws Exception {
        String key = UUID.randomUUID().toString();
        assertEquals(202, post("api/v1/Pipelines", key, repeat("ab", 2) + "}").status());

        Api.Reply changed = post("api/v1/Pipelines", key, repeat("ab", 3) + "}");
        assertEquals(422, changed.status(), changed.toString());
        assertTrue(changed.json().getString("detail").contains("different request body"), changed.toString());

        Api.Reply elsewhere = post("api/v1/Pipelines/Batch", key, "{\"inputs\":[],\"steps\":[]}");
        assertEquals(422, elsewhere.status(), elsewhere.toString());
        assertTrue(elsewhere.json().getString("detail").contains("was used for POST /Pipelines"), elsewhere.toString());
        assertEquals(1, runsOfUser());

        Session other = Session.register(api);
        Api.Reply theirs = api.send(api.request("api/v1/Pipelines", other.bearer())
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(repeat("ab", 3) + "}")));
        assertEquals(202, theirs.status(), theirs.toString());
        assertTrue(theirs.header("Idempotent-Replayed").isEmpty());
    }

    @Test
    void anInvalidKeyIs400SayingWhatAKeyMayBe() throws Exception {
        // HTTP/1.1: an HTTP/2 server resets a stream whose header holds a control character.
        Api http11 = Api.http11(url);
        for (String key : List.of("x".repeat(256), "tab\tin-key")) {
            Api.Reply reply = http11.send(http11.request("api/v1/Pipelines", session.bearer())
                    .header("Content-Type", "application/json")
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(repeat("ab", 2) + "}")));
            assertEquals(400, reply.status(), key + ": " + reply);
            assertTrue(
                    reply.json().getString("detail").contains("Idempotency-Key must be 1..255 printable ASCII"),
                    reply.toString());
        }
        assertEquals(0, runsOfUser());
    }

    @Test
    void concurrentDuplicatesCreateExactlyOneRunAndAllAnswerIt() throws Exception {
        for (String path : List.of("api/v1/Pipelines", "api/v1/Pipelines/Batch")) {
            String key = "concurrent-" + UUID.randomUUID();
            String json = path.endsWith("Batch")
                    ? "{\"inputs\":[{\"type\":\"ApString\",\"value\":\"a\"},{\"type\":\"ApString\",\"value\":\"b\"}],"
                            + "\"steps\":[{\"nodeId\":\"" + SILENT + "\",\"procedureId\":\"wait\"}]}"
                    : repeat("ab", 2) + "}";
            int clients = 8;
            CountDownLatch start = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            List<Future<Api.Reply>> replies = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    replies.add(pool.submit((Callable<Api.Reply>) () -> {
                        start.await();
                        return post(path, key, json);
                    }));
                }
                start.countDown();
                List<Api.Reply> answered = new ArrayList<>();
                for (Future<Api.Reply> reply : replies) {
                    answered.add(reply.get());
                }
                for (Api.Reply reply : answered) {
                    assertEquals(202, reply.status(), reply.toString());
                }
                Set<JsonObject> bodies = answered.stream().map(Api.Reply::json).collect(Collectors.toSet());
                assertEquals(1, bodies.size(), bodies.toString());
                assertEquals(
                        1,
                        answered.stream()
                                .filter(reply ->
                                        reply.header("Idempotent-Replayed").isEmpty())
                                .count());
            } finally {
                pool.shutdownNow();
            }
        }
        assertEquals(1 + 2, runsOfUser());
    }

    @Test
    void aReplayedAwaitedRunAnswersTheSameRunsResult() throws Exception {
        String key = UUID.randomUUID().toString();
        String json = repeat("xy", 2) + ",\"timeoutSeconds\":30}";
        Api.Reply first = post("api/v1/Pipelines/Awaited", key, json);
        assertEquals(200, first.status(), first.toString());
        JsonObject result = first.json().getJsonObject("result");
        assertEquals("Succeeded", result.getString("status"), result.toString());

        Api.Reply again = post("api/v1/Pipelines/Awaited", key, json);
        assertEquals(200, again.status(), again.toString());
        assertEquals("true", again.header("Idempotent-Replayed").orElse(null));
        assertEquals(result, again.json().getJsonObject("result"));
        assertEquals(1, runsOfUser());
    }

    @Test
    void aReplayedAwaitedRunStillRunningWaitsForItAgain() throws Exception {
        String key = UUID.randomUUID().toString();
        String json = "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[{\"nodeId\":\"" + SILENT
                + "\",\"procedureId\":\"wait\"}],\"timeoutSeconds\":1}";
        Api.Reply first = post("api/v1/Pipelines/Awaited", key, json);
        assertEquals(408, first.status(), first.toString());
        Api.Reply again = post("api/v1/Pipelines/Awaited", key, json);
        assertEquals(408, again.status(), again.toString());
        assertEquals(first.json().getString("pipelineId"), again.json().getString("pipelineId"));
        assertEquals(1, runsOfUser());
    }

    private static TestNode node(String id) {
        return nodes.get(id);
    }

    private static String slowRun(String node) {
        String step = "{\"nodeId\":\"" + node + "\",\"procedureId\":\"slow\"}";
        return "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[" + step + "," + step + "]";
    }

    private JsonObject cancel(String pipelineId, int expectedStatus) {
        Api.Reply reply = api.post("api/v1/Pipelines/" + pipelineId + "/Cancel", session.bearer(), "");
        assertEquals(expectedStatus, reply.status(), reply.toString());
        return reply.json();
    }

    private long cancelledReportsCounted() {
        Metrics metrics = Metrics.scrape(api, url);
        return (long) metrics.value("runner_reports_of_cancelled_runs")
                .orElseThrow(() -> new AssertionError("no cancelled-report gauge in /metrics: " + metrics));
    }

    @Test
    void cancellingAnAwaitedRunOnANodeThatHonoursItStopsTheStepAndAnswersTheWaiter() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try {
            Future<Api.Reply> awaitedReply = background.submit(() -> api.post(
                    "api/v1/Pipelines/Awaited", session.bearer(), slowRun(HONOURING) + ",\"timeoutSeconds\":120}"));
            assertTrue(HONOURING_STARTED.await(60, java.util.concurrent.TimeUnit.SECONDS), "the slow step started");
            String id = api.get("api/v1/PipelineResults", session.bearer())
                    .json()
                    .getJsonArray("items")
                    .getJsonObject(0)
                    .getString("pipelineId");

            Api.Reply foreign = api.post(
                    "api/v1/Pipelines/" + id + "/Cancel", Session.register(api).bearer(), "");
            assertEquals(404, foreign.status(), foreign.toString());

            JsonObject result = cancel(id, 200).getJsonObject("result");
            assertEquals("Cancelled", result.getString("status"), result.toString());
            assertFalse(result.isNull("finishedAt"));
            assertEquals(2, result.getJsonArray("stepResults").size());
            for (JsonObject step : result.getJsonArray("stepResults").getValuesAs(JsonObject.class)) {
                assertFalse(step.getBoolean("wasSuccessful"));
                assertEquals(
                        "cancelled by " + session.username(),
                        step.getJsonObject("failureReason").getString("reason"));
                assertEquals(499, step.getJsonObject("failureReason").getInt("code"));
            }
            Api.Reply answered = awaitedReply.get();
            assertEquals(200, answered.status(), answered.toString());
            assertEquals(result, answered.json().getJsonObject("result"));

            assertEquals(result, cancel(id, 200).getJsonObject("result"));
            Poll.until(
                    Duration.ofSeconds(30),
                    () -> node(HONOURING).stopped(id),
                    stopped -> stopped,
                    "the node stopped the step of " + id);
            assertTrue(node(HONOURING).cancellationArrived(id));
        } finally {
            background.shutdownNow();
        }
    }

    @Test
    void aLateReportFromANodeThatIgnoresTheCancellationIsAckedCountedAndNotRecorded() throws Exception {
        Api.Reply started = api.post("api/v1/Pipelines", session.bearer(), slowRun(IGNORING) + "}");
        assertEquals(202, started.status(), started.toString());
        String id = started.json().getJsonObject("pipeline").getString("id");
        assertTrue(IGNORING_STARTED.await(60, java.util.concurrent.TimeUnit.SECONDS), "the slow step started");
        JsonObject cancelled = cancel(id, 200).getJsonObject("result");
        assertEquals("Cancelled", cancelled.getString("status"));

        long before = cancelledReportsCounted();
        try (PipelinesIT.DeadLetterWatch deadLetters = new PipelinesIT.DeadLetterWatch()) {
            IGNORING_RELEASE.countDown();
            Poll.until(
                    Duration.ofSeconds(30),
                    this::cancelledReportsCounted,
                    counted -> counted > before,
                    "the late report counted");
            assertFalse(deadLetters.anyAbout(id), "the late report was dead-lettered");
        }
        JsonObject after =
                api.get("api/v1/PipelineResults/" + id, session.bearer()).json().getJsonObject("result");
        assertEquals(cancelled, after);
    }

    @Test
    void cancellingAFinishedRunIs409NamingItsStatus() {
        Api.Reply done =
                api.post("api/v1/Pipelines/Awaited", session.bearer(), repeat("ab", 2) + ",\"timeoutSeconds\":30}");
        assertEquals(200, done.status(), done.toString());
        String id = done.json().getJsonObject("result").getString("pipelineId");
        JsonObject problem = cancel(id, 409);
        assertTrue(problem.getString("detail").contains("already Succeeded"), problem.toString());
        assertEquals(
                404,
                api.post("api/v1/Pipelines/" + UUID.randomUUID() + "/Cancel", session.bearer(), "")
                        .status());
    }

    @Test
    void cancellingABatchCancelsEveryUnfinishedRunAndFinishesIt() {
        Api.Reply started = api.post(
                "api/v1/Pipelines/Batch",
                session.bearer(),
                "{\"inputs\":["
                        + "{\"type\":\"ApString\",\"value\":\"a\"},{\"type\":\"ApString\",\"value\":\"b\"},"
                        + "{\"type\":\"ApString\",\"value\":\"c\"}],\"steps\":[{\"nodeId\":\"" + SILENT
                        + "\",\"procedureId\":\"wait\"}]}");
        assertEquals(202, started.status(), started.toString());
        String batchId = started.json().getJsonObject("batch").getString("pipelineBatchId");
        Api.Reply foreign = api.post(
                "api/v1/Pipelines/Batch/" + batchId + "/Cancel",
                Session.register(api).bearer(),
                "");
        assertEquals(404, foreign.status(), foreign.toString());

        Api.Reply reply = api.post("api/v1/Pipelines/Batch/" + batchId + "/Cancel", session.bearer(), "");
        assertEquals(200, reply.status(), reply.toString());
        JsonObject batch = reply.json().getJsonObject("batch");
        assertFalse(batch.isNull("finishedAt"), batch.toString());
        assertEquals(3, batch.getJsonArray("pipelineResults").size());
        for (JsonObject run : batch.getJsonArray("pipelineResults").getValuesAs(JsonObject.class)) {
            assertEquals("Cancelled", run.getString("status"));
        }
        Api.Reply again = api.post("api/v1/Pipelines/Batch/" + batchId + "/Cancel", session.bearer(), "");
        assertEquals(200, again.status());
        assertEquals(batch, again.json().getJsonObject("batch"));
    }

    private JsonObject listed(String query) {
        Api.Reply reply = api.get("api/v1/PipelineResults" + query, session.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    private static List<String> pipelineIds(JsonObject page) {
        return page.getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .map(r -> r.getString("pipelineId"))
                .toList();
    }

    @Test
    void theStatusFilterListsOnlyThatStatusWithItsOwnCountAndCursors() {
        List<String> succeeded = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Api.Reply done = api.post(
                    "api/v1/Pipelines/Awaited", session.bearer(), repeat("s" + i, 1) + ",\"timeoutSeconds\":30}");
            assertEquals(200, done.status(), done.toString());
            succeeded.add(0, done.json().getJsonObject("result").getString("pipelineId"));
        }
        String silentRun = "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[{\"nodeId\":\"" + SILENT
                + "\",\"procedureId\":\"wait\"}]}";
        String cancelled = api.post("api/v1/Pipelines", session.bearer(), silentRun)
                .json()
                .getJsonObject("pipeline")
                .getString("id");
        cancel(cancelled, 200);
        String running = api.post("api/v1/Pipelines", session.bearer(), silentRun)
                .json()
                .getJsonObject("pipeline")
                .getString("id");

        JsonObject onlyCancelled = listed("?status=Cancelled");
        assertEquals(List.of(cancelled), pipelineIds(onlyCancelled));
        assertEquals(1, onlyCancelled.getJsonObject("pagination").getInt("totalCount"));
        assertEquals(List.of(running), pipelineIds(listed("?status=Running")));
        assertEquals(List.of(), pipelineIds(listed("?status=Failed")));
        assertEquals(0, listed("?status=Failed").getJsonObject("pagination").getInt("totalCount"));
        assertEquals(5, listed("").getJsonObject("pagination").getInt("totalCount"));

        // Paged by cursor: the cursor of a filtered listing leads on in that listing, and only there.
        JsonObject first = listed("?status=Succeeded&pageSize=2");
        assertEquals(succeeded.subList(0, 2), pipelineIds(first));
        assertEquals(3, first.getJsonObject("pagination").getInt("totalCount"));
        assertEquals(2, first.getJsonObject("pagination").getInt("totalPages"));
        String cursor = first.getJsonObject("pagination").getString("nextCursor");
        JsonObject second = listed("?status=Succeeded&pageSize=2&after=" + cursor);
        assertEquals(succeeded.subList(2, 3), pipelineIds(second));
        assertEquals(2, second.getJsonObject("pagination").getInt("pageNumber"));
        assertFalse(second.getJsonObject("pagination").getBoolean("hasNextPage"));
        assertEquals(succeeded.subList(2, 3), pipelineIds(listed("?status=Succeeded&pageSize=2&pageNumber=2")));
        for (String other : List.of("?status=Cancelled&pageSize=2&after=", "?pageSize=2&after=")) {
            Api.Reply refused = api.get("api/v1/PipelineResults" + other + cursor, session.bearer());
            assertEquals(400, refused.status(), refused.toString());
            assertTrue(refused.json().getString("detail").contains("another listing"), refused.toString());
        }

        for (String bad : List.of("succeeded", "Done", "")) {
            Api.Reply refused = api.get("api/v1/PipelineResults?status=" + bad, session.bearer());
            assertEquals(400, refused.status(), bad + ": " + refused);
            assertTrue(
                    refused.json()
                            .getString("detail")
                            .contains("status must be one of Running, Succeeded, Failed, Cancelled"),
                    refused.toString());
        }
    }
}
