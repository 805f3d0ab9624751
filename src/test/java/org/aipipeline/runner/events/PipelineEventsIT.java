package org.aipipeline.runner.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.EventStream;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Live events (issue 14 part 1) end to end: SSE streams of runs and batches, resume, stream tokens. */
class PipelineEventsIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WORDS = "it-ev-words-" + SUFFIX;
    private static final String GATE = "it-ev-gate-" + SUFFIX;
    private static final String ECHO = "it-ev-echo-" + SUFFIX;
    private static final String FLAKY = "it-ev-flaky-" + SUFFIX;
    /** Never takes its steps: runs on it stay Running. */
    private static final String SILENT = "it-ev-silent-" + SUFFIX;
    /** The flaky node fails its first attempt (503, retryable), then passes its input on. */
    private static final AtomicInteger FLAKY_ATTEMPTS = new AtomicInteger();
    /** The gate node's step runs until the test opens it. */
    private static final CountDownLatch GATE_OPEN = new CountDownLatch(1);

    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (PipelineEventsIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNodes.wordProcessor(WORDS),
                        TestNode.named(GATE)
                                .procedure("pass", TestNodes.STRING, TestNodes.STRING, PipelineEventsIT::gated),
                        TestNode.named(ECHO).procedure("pass", TestNodes.STRING, TestNodes.STRING, input -> input),
                        TestNode.named(SILENT)
                                .procedure("wait", TestNodes.STRING, TestNodes.STRING, input -> input)
                                .silent(),
                        TestNode.named(FLAKY).procedure("flaky", TestNodes.STRING, TestNodes.STRING, input -> {
                            if (FLAKY_ATTEMPTS.incrementAndGet() == 1) {
                                throw new TestNode.Failure(503, "flaky attempt 1");
                            }
                            return input;
                        }));
            }
        }
    }

    private static ApElement gated(ApElement input) {
        try {
            GATE_OPEN.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return input;
    }

    @AfterAll
    static void stopNodes() throws Exception {
        GATE_OPEN.countDown();
        if (nodes != null) {
            nodes.close();
        }
    }

    private static final String INPUT = "{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\","
            + "\"value\":\"ab\"},\"repetitionCount\":{\"type\":\"ApInt\",\"value\":2}}}";
    private static final String REPEAT = "{\"nodeId\":\"" + WORDS + "\",\"procedureId\":\"repeat-string\"}";

    private String run(String steps) {
        Api.Reply started =
                api.post("api/v1/Pipelines", session.bearer(), "{\"input\":" + INPUT + ",\"steps\":[" + steps + "]}");
        assertEquals(202, started.status(), started.toString());
        return started.json().getJsonObject("pipeline").getString("id");
    }

    private String finishedRun() {
        String id = run(REPEAT + ",{\"nodeId\":\"" + ECHO + "\",\"procedureId\":\"pass\"}");
        Poll.until(
                java.time.Duration.ofSeconds(30),
                () -> api.get("api/v1/PipelineResults/" + id, session.bearer()),
                r -> r.status() == 200
                        && !"Running".equals(r.json().getJsonObject("result").getString("status")),
                "run finished");
        return id;
    }

    private EventStream events(String id, String authorization, String lastEventId) {
        return EventStream.open(api.uri("api/v1/PipelineResults/" + id + "/Events"), authorization, lastEventId);
    }

    private static List<String> ids(List<EventStream.Event> events) {
        return events.stream().map(EventStream.Event::id).toList();
    }

    @Test
    void aTwoStepRunStreamsItsEventsInOrderAsTheyHappenThenCloses() {
        String id = run(REPEAT + ",{\"nodeId\":\"" + GATE + "\",\"procedureId\":\"pass\"}");
        try (EventStream stream = events(id, session.bearer(), null)) {
            assertEquals(200, stream.status());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            // Step 2 cannot finish until the gate opens: these arrive while the run is running.
            List<EventStream.Event> first = stream.until("2:dispatched");
            assertEquals(List.of("1:dispatched", "1:succeeded", "2:dispatched"), ids(first));
            assertEquals("dispatched", first.get(0).name());
            assertEquals(
                    "{\"order\":1,\"nodeId\":\"" + WORDS + "\",\"procedureId\":\"repeat-string\"}",
                    first.get(0).data());
            assertEquals("step-succeeded", first.get(1).name());
            assertEquals(
                    "{\"order\":1,\"result\":{\"type\":\"ApString\",\"value\":\"abab\"}}",
                    first.get(1).data());
            assertEquals(
                    "{\"order\":2,\"nodeId\":\"" + GATE + "\",\"procedureId\":\"pass\"}",
                    first.get(2).data());

            GATE_OPEN.countDown();
            List<EventStream.Event> rest = stream.untilClosed();
            assertEquals(List.of("2:succeeded", "finished"), ids(rest));
            assertEquals(
                    "{\"order\":2,\"result\":{\"type\":\"ApString\",\"value\":\"abab\"}}",
                    rest.get(0).data());
            JsonObject finished = rest.get(1).json();
            assertEquals("finished", rest.get(1).name());
            assertEquals("Succeeded", finished.getString("status"));
            assertTrue(finished.getString("finishedAt").startsWith("20"), finished.toString());
        }
    }

    @Test
    void aRetriedStepShowsItsFailedAttemptBeforeItsSuccess() {
        String id = run(REPEAT + ",{\"nodeId\":\"" + FLAKY + "\",\"procedureId\":\"flaky\","
                + "\"retry\":{\"maxAttempts\":2,\"backoffSeconds\":1}}");
        try (EventStream stream = events(id, session.bearer(), null)) {
            List<EventStream.Event> events = stream.untilClosed();
            assertEquals(
                    List.of("1:dispatched", "1:succeeded", "2:dispatched", "2:retrying:1", "2:succeeded", "finished"),
                    ids(events));
            JsonObject retrying = events.get(3).json();
            assertEquals("retrying", events.get(3).name());
            assertEquals(2, retrying.getInt("order"));
            assertEquals(1, retrying.getInt("failedAttempts"));
            assertTrue(retrying.getString("lastFailureReason").startsWith("flaky attempt 1"), retrying.toString());
            assertEquals("Succeeded", events.get(5).json().getString("status"));
        }
    }

    @Test
    void aClientResumingWithLastEventIdGetsExactlyWhatItMissed() {
        String id = finishedRun();
        try (EventStream all = events(id, session.bearer(), null)) {
            assertEquals(
                    List.of("1:dispatched", "1:succeeded", "2:dispatched", "2:succeeded", "finished"),
                    ids(all.untilClosed()));
        }
        try (EventStream resumed = events(id, session.bearer(), "1:succeeded")) {
            assertEquals(List.of("2:dispatched", "2:succeeded", "finished"), ids(resumed.untilClosed()));
        }
        try (EventStream done = events(id, session.bearer(), "finished")) {
            assertEquals(200, done.status());
            assertEquals(List.of(), done.untilClosed());
        }
        try (EventStream bad = events(id, session.bearer(), "2:started")) {
            assertEquals(400, bad.status());
            assertTrue(bad.body().contains("Last-Event-ID"), "problem names the header");
        }
    }

    @Test
    void aBatchStreamReportsProgressUntilFinished() {
        Api.Reply started = api.post(
                "api/v1/Pipelines/Batch",
                session.bearer(),
                "{\"inputs\":[" + INPUT + "," + INPUT + "," + INPUT + "],\"steps\":[" + REPEAT + "]}");
        assertEquals(202, started.status(), started.toString());
        String batchId = started.json().getJsonObject("batch").getString("pipelineBatchId");
        try (EventStream stream = EventStream.open(
                api.uri("api/v1/PipelineResults/Batch/" + batchId + "/Events"), session.bearer(), null)) {
            assertEquals(200, stream.status());
            List<EventStream.Event> events = stream.untilClosed();
            EventStream.Event last = events.get(events.size() - 1);
            assertEquals("finished", last.id());
            JsonObject finished = last.json();
            assertEquals(3, finished.getInt("total"));
            assertEquals(3, finished.getInt("succeeded"));
            assertEquals(0, finished.getInt("failed"));
            EventStream.Event progress = events.get(events.size() - 2);
            assertEquals("progress:3:0", progress.id());
            assertEquals("{\"total\":3,\"succeeded\":3,\"failed\":0,\"running\":0}", progress.data());
            assertTrue(
                    events.subList(0, events.size() - 1).stream()
                            .allMatch(event -> event.name().equals("progress")),
                    events.toString());
        }
        try (EventStream resumed = EventStream.open(
                api.uri("api/v1/PipelineResults/Batch/" + batchId + "/Events"), session.bearer(), "progress:3:0")) {
            assertEquals(List.of("finished"), ids(resumed.untilClosed()));
        }
    }

    @Test
    void anotherUsersRunAndBatchAreNotFound() {
        String id = finishedRun();
        Session other = Session.register(api);
        try (EventStream stream = events(id, other.bearer(), null)) {
            assertEquals(404, stream.status());
            assertTrue(stream.body().contains("No pipeline result"), "a problem, not a stream");
        }
        assertEquals(
                404,
                api.post("api/v1/PipelineResults/" + id + "/EventsToken", other.bearer(), "")
                        .status());
        String batchId = api.post(
                        "api/v1/Pipelines/Batch",
                        session.bearer(),
                        "{\"inputs\":[" + INPUT + "],\"steps\":[" + REPEAT + "]}")
                .json()
                .getJsonObject("batch")
                .getString("pipelineBatchId");
        try (EventStream stream = EventStream.open(
                api.uri("api/v1/PipelineResults/Batch/" + batchId + "/Events"), other.bearer(), null)) {
            assertEquals(404, stream.status());
        }
        assertEquals(
                404,
                api.post("api/v1/PipelineResults/Batch/" + batchId + "/EventsToken", other.bearer(), "")
                        .status());
        try (EventStream anonymous = events(id, null, null)) {
            assertEquals(401, anonymous.status());
        }
    }

    @Test
    void aStreamTokenOpensItsStreamAndNothingElse() {
        String id = finishedRun();
        Api.Reply created = api.post("api/v1/PipelineResults/" + id + "/EventsToken", session.bearer(), "");
        assertEquals(200, created.status(), created.toString());
        String token = created.json().getString("token");
        assertTrue(created.json().getString("expiresAt").startsWith("20"), created.toString());

        try (EventStream stream =
                EventStream.open(api.uri("api/v1/PipelineResults/" + id + "/Events?token=" + token), null, null)) {
            assertEquals(200, stream.status());
            assertEquals("finished", ids(stream.untilClosed()).get(4));
        }
        // Not a bearer token, not an API key.
        assertEquals(
                401, api.get("api/v1/PipelineResults/" + id, "Bearer " + token).status());
        assertEquals(401, api.get("api/v1/PipelineResults/" + id, token).status());
        try (EventStream asBearer = events(id, "Bearer " + token, null)) {
            assertEquals(401, asBearer.status());
        }
        // An access token is never accepted in the URL.
        try (EventStream accessToken = EventStream.open(
                api.uri("api/v1/PipelineResults/" + id + "/Events?token=" + session.accessToken()), null, null)) {
            assertEquals(401, accessToken.status());
            assertTrue(accessToken.body().contains("stream token"), "the problem says what to send");
        }
    }

    @Test
    void aTokenForOneRunDoesNotOpenAnother() {
        String mine = finishedRun();
        String another = finishedRun();
        String token = api.post("api/v1/PipelineResults/" + mine + "/EventsToken", session.bearer(), "")
                .json()
                .getString("token");
        try (EventStream stream =
                EventStream.open(api.uri("api/v1/PipelineResults/" + another + "/Events?token=" + token), null, null)) {
            assertEquals(401, stream.status());
        }
        try (EventStream asBatch = EventStream.open(
                api.uri("api/v1/PipelineResults/Batch/" + mine + "/Events?token=" + token), null, null)) {
            assertEquals(401, asBatch.status());
        }
    }

    /** The suite runs with events.max-streams-per-user=3 (pom.xml). */
    @Test
    void aUserHoldsAtMostTheConfiguredNumberOfOpenStreamsAndTheNextIs429() {
        String silent = "{\"nodeId\":\"" + SILENT + "\",\"procedureId\":\"wait\"}";
        String waiting = "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[" + silent + "]}";
        List<EventStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                Api.Reply started = api.post("api/v1/Pipelines", session.bearer(), waiting);
                EventStream stream =
                        events(started.json().getJsonObject("pipeline").getString("id"), session.bearer(), null);
                open.add(stream);
                assertEquals(200, stream.status());
                assertEquals("1:dispatched", stream.next().id());
            }
            String fourth = api.post("api/v1/Pipelines", session.bearer(), waiting)
                    .json()
                    .getJsonObject("pipeline")
                    .getString("id");
            // The third stream is registered just after its first event is sent: ask until it counts.
            String refused = Poll.until(
                    java.time.Duration.ofSeconds(10),
                    () -> {
                        try (EventStream stream = events(fourth, session.bearer(), null)) {
                            return stream.status() + " " + (stream.status() == 200 ? "" : stream.body());
                        }
                    },
                    reply -> reply.startsWith("429"),
                    "the fourth stream refused");
            assertTrue(refused.contains("events.max-streams-per-user"), refused);

            Session other = Session.register(api);
            String theirs = api.post("api/v1/Pipelines", other.bearer(), waiting)
                    .json()
                    .getJsonObject("pipeline")
                    .getString("id");
            try (EventStream stream = events(theirs, other.bearer(), null)) {
                assertEquals(200, stream.status(), "another user's streams are counted apart");
            }
        } finally {
            open.forEach(EventStream::close);
        }
    }
}
