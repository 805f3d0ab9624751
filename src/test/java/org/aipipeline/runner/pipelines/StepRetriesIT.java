package org.aipipeline.runner.pipelines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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

/** Retries with backoff (issue 13 part 2) end to end, on the real broker and database. */
class StepRetriesIT extends DeployedRunner {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WORDS = "it-retry-words-" + SUFFIX;
    private static final String FLAKY = "it-retry-flaky-" + SUFFIX;
    private static final String BROKEN = "it-retry-broken-" + SUFFIX;
    /** Attempts the flaky node saw, by input text: it fails the first two of each with 503. */
    private static final Map<String, AtomicInteger> FLAKY_ATTEMPTS = new ConcurrentHashMap<>();

    private static StartedNodes nodes;

    Session session;

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (StepRetriesIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(
                        api,
                        session,
                        TestNodes.wordProcessor(WORDS),
                        TestNode.named(FLAKY).procedure("flaky", TestNodes.STRING, TestNodes.STRING, input -> {
                            String text = ((ApString) input).value();
                            int attempt = FLAKY_ATTEMPTS
                                    .computeIfAbsent(text, t -> new AtomicInteger())
                                    .incrementAndGet();
                            if (attempt <= 2) {
                                throw new TestNode.Failure(503, "flaky attempt " + attempt);
                            }
                            return new ApString(text.toUpperCase());
                        }),
                        TestNodes.failing(BROKEN, 500));
            }
        }
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    private static String string(String value) {
        return "{\"type\":\"ApString\",\"value\":\"" + value + "\"}";
    }

    private JsonObject result(String pipelineId) {
        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId, session.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json().getJsonObject("result");
    }

    @Test
    void aStepFailingTwiceThenSucceedingIsRetriedOnTheSameInputAndTheRunSucceedsShowingItsAttempts() {
        String word = "flaky-" + UUID.randomUUID().toString().substring(0, 6);
        String json = "{\"input\":{\"type\":\"ApObject\",\"properties\":{\"inputString\":" + string(word)
                + ",\"repetitionCount\":{\"type\":\"ApInt\",\"value\":2}}},\"steps\":[{\"nodeId\":\"" + WORDS
                + "\",\"procedureId\":\"repeat-string\"},{\"nodeId\":\"" + FLAKY + "\",\"procedureId\":\"flaky\","
                + "\"retry\":{\"maxAttempts\":3,\"backoffSeconds\":1.5}}]}";
        Api.Reply started = api.post("api/v1/Pipelines", session.bearer(), json);
        assertEquals(202, started.status(), started.toString());
        String pipelineId = started.json().getJsonObject("pipeline").getString("id");

        // While step 2 waits for its next attempt the result says so.
        JsonObject retrying = Poll.until(
                        Duration.ofSeconds(60),
                        () -> result(pipelineId),
                        result -> !result.isNull("retrying")
                                && !result.getJsonObject("retrying").isNull("nextAttemptAt"),
                        "step 2 waiting for its retry")
                .getJsonObject("retrying");
        assertEquals(2, retrying.getInt("order"), retrying.toString());
        assertTrue(retrying.getString("lastFailureReason").startsWith("flaky attempt "), retrying.toString());

        JsonObject done = Poll.until(
                Duration.ofSeconds(60),
                () -> result(pipelineId),
                result -> !"Running".equals(result.getString("status")),
                "the run finished");
        assertEquals("Succeeded", done.getString("status"), done.toString());
        JsonObject first = done.getJsonArray("stepResults").getJsonObject(0);
        JsonObject second = done.getJsonArray("stepResults").getJsonObject(1);
        assertEquals(1, first.getInt("attempts"));
        assertTrue(first.isNull("lastFailureReason"));
        assertEquals(3, second.getInt("attempts"), second.toString());
        assertTrue(second.getString("lastFailureReason").startsWith("flaky attempt 2"), second.toString());
        assertEquals((word + word).toUpperCase(), second.getJsonObject("result").getString("value"));
        assertTrue(done.isNull("retrying"));
        // Every attempt got the stored result of step 1 as its input; step 1 ran once.
        assertEquals(3, FLAKY_ATTEMPTS.get(word + word).get());
        Metrics metrics = Metrics.scrape(api, url);
        String flaky = "node=\"" + FLAKY + "\"";
        assertTrue(metrics.value("runner_steps", flaky, "outcome=\"retried\"").orElse(0) >= 2, metrics.toString());
        assertTrue(metrics.value("runner_steps", flaky, "outcome=\"succeeded\"").orElse(0) >= 1, metrics.toString());
        assertTrue(metrics.value("runner_step_duration", flaky).isPresent(), metrics.toString());
    }

    @Test
    void aStepThatKeepsFailingFailsTheRunWhenItsAttemptsAreExhausted() {
        String json = "{\"input\":" + string("x") + ",\"timeoutSeconds\":60,\"steps\":[{\"nodeId\":\"" + BROKEN
                + "\",\"procedureId\":\"explode\",\"retry\":{\"maxAttempts\":2,\"backoffSeconds\":0.2}}]}";
        Api.Reply reply = api.post("api/v1/Pipelines/Awaited", session.bearer(), json);
        assertEquals(200, reply.status(), reply.toString());
        JsonObject result = reply.json().getJsonObject("result");

        assertEquals("Failed", result.getString("status"), result.toString());
        JsonObject step = result.getJsonArray("stepResults").getJsonObject(0);
        assertEquals(2, step.getInt("attempts"), step.toString());
        assertEquals(500, step.getJsonObject("failureReason").getInt("code"));
        assertTrue(step.getString("lastFailureReason").startsWith("exploded on purpose"), step.toString());
    }

    @Test
    void aFailureWhoseCodeThePolicyDoesNotListIsNotRetried() {
        String json = "{\"input\":" + string("y") + ",\"timeoutSeconds\":60,\"steps\":[{\"nodeId\":\"" + BROKEN
                + "\",\"procedureId\":\"explode\",\"retry\":{\"maxAttempts\":5,\"backoffSeconds\":0.2,\"onCodes\":[503]}}]}";
        Api.Reply reply = api.post("api/v1/Pipelines/Awaited", session.bearer(), json);
        assertEquals(200, reply.status(), reply.toString());
        JsonObject step =
                reply.json().getJsonObject("result").getJsonArray("stepResults").getJsonObject(0);

        assertEquals(1, step.getInt("attempts"), step.toString());
        assertTrue(step.isNull("lastFailureReason"));
    }

    @Test
    void aBadRetryPolicyIs422NamingEachField() {
        String json =
                "{\"input\":" + string("z") + ",\"steps\":[{\"nodeId\":\"" + BROKEN + "\",\"procedureId\":\"explode\","
                        + "\"retry\":{\"maxAttempts\":11,\"backoffSeconds\":-1,\"onCodes\":[503,42]}}]}";
        Api.Reply reply = api.post("api/v1/Pipelines", session.bearer(), json);

        assertEquals(422, reply.status(), reply.toString());
        Map<String, String> errors = reply.json().getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .collect(Collectors.toMap(e -> e.getString("field"), e -> e.getString("message")));
        assertEquals("must be 1..10, got 11", errors.get("steps[0].retry.maxAttempts"), errors.toString());
        assertTrue(
                errors.get("steps[0].retry.backoffSeconds").startsWith("must be 0..3600 seconds"), errors.toString());
        assertEquals(
                "must be a failure code 100..599, got 42", errors.get("steps[0].retry.onCodes[1]"), errors.toString());
    }
}
