package org.aipipeline.runner.callbacks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signed webhooks (issue 14 part 2) end to end: a receiver in the test answers the first delivery
 * with 500 and the rest with 200, and checks every signature as the README tells receivers to.
 */
class WebhooksIT extends DeployedRunner {

    private static final String WORDS =
            "it-hooks-words-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String SECRET = "whsec-" + UUID.randomUUID();
    private static StartedNodes nodes;
    private static HttpServer receiver;
    /** What the receiver got: headers (lower-case names) and body. */
    private static final List<Map.Entry<Map<String, String>, String>> RECEIVED = new CopyOnWriteArrayList<>();

    private static final AtomicInteger REQUESTS = new AtomicInteger();

    Session session;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hooks", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = exchange.getRequestHeaders().entrySet().stream()
                    .collect(Collectors.toMap(
                            e -> e.getKey().toLowerCase(), e -> e.getValue().get(0), (a, b) -> a));
            RECEIVED.add(Map.entry(headers, body));
            // The very first delivery fails: it must come again.
            exchange.sendResponseHeaders(REQUESTS.incrementAndGet() == 1 ? 500 : 204, -1);
            exchange.close();
        });
        receiver.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        session = Session.register(api);
        synchronized (WebhooksIT.class) {
            if (nodes == null) {
                nodes = StartedNodes.start(api, session, TestNodes.wordProcessor(WORDS));
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
        receiver.stop(0);
    }

    private static String hook() {
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    }

    private static String run(String word, String callback) {
        return "{\"input\":{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\""
                + word
                + "\"}}},\"steps\":[{\"nodeId\":\"" + WORDS + "\",\"procedureId\":\"repeat-string\"}]"
                + (callback == null ? "" : ",\"callback\":" + callback) + ",\"timeoutSeconds\":60}";
    }

    /** A receiver's check, as documented: HMAC-SHA256 of "t.body" with the secret, compared in constant time. */
    private static boolean signedBySecret(String header, String body) throws Exception {
        String t = header.substring(header.indexOf("t=") + 2, header.indexOf(','));
        String v1 = header.substring(header.indexOf("v1=") + 3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8));
        return MessageDigest.isEqual(expected, HexFormat.of().parseHex(v1));
    }

    private JsonObject callbacks(String pipelineId, Session as) {
        Api.Reply reply = api.get("api/v1/PipelineResults/" + pipelineId + "/Callbacks", as.bearer());
        assertEquals(200, reply.status(), reply.toString());
        return reply.json();
    }

    @Test
    void eachEventIsPostedSignedAndAFailedFirstAttemptIsDeliveredOnRetry() throws Exception {
        String callback = "{\"url\":\"" + hook() + "\",\"secret\":\"" + SECRET
                + "\",\"events\":[\"step-succeeded\",\"finished\"]}";
        Api.Reply reply = api.post("api/v1/Pipelines/Awaited", session.bearer(), run("hook", callback));
        assertEquals(200, reply.status(), reply.toString());
        String pipelineId = reply.json().getJsonObject("result").getString("pipelineId");

        JsonObject log = Poll.until(
                Duration.ofSeconds(60),
                () -> callbacks(pipelineId, session),
                l -> l.getJsonArray("deliveries").size() == 2
                        && l.getJsonArray("deliveries").getValuesAs(JsonObject.class).stream()
                                .allMatch(d -> d.getString("status").equals("delivered")),
                "both events delivered");
        assertEquals(hook(), log.getJsonObject("callback").getString("url"));
        assertTrue(log.getJsonObject("callback").getBoolean("signed"));
        List<JsonObject> deliveries = log.getJsonArray("deliveries").getValuesAs(JsonObject.class);
        assertEquals(
                List.of("step-succeeded", "finished"),
                deliveries.stream().map(d -> d.getString("event")).toList());
        assertTrue(
                deliveries.stream().anyMatch(d -> d.getInt("attempts") == 2),
                "the first POST got a 500: " + deliveries);
        assertTrue(deliveries.stream().allMatch(d -> d.getInt("lastStatusCode") == 204), deliveries.toString());

        List<Map.Entry<Map<String, String>, String>> ours =
                RECEIVED.stream().filter(r -> r.getValue().contains(pipelineId)).toList();
        assertEquals(3, ours.size(), "two events, one of them twice: " + ours);
        for (Map.Entry<Map<String, String>, String> request : ours) {
            assertTrue(
                    signedBySecret(request.getKey().get("runner-signature"), request.getValue()), request.toString());
            JsonObject event =
                    Json.createReader(new StringReader(request.getValue())).readObject();
            assertEquals(request.getKey().get("runner-event"), event.getString("event"));
            assertEquals(pipelineId, event.getString("pipelineId"));
        }
        JsonObject finished = ours.stream()
                .map(r -> Json.createReader(new StringReader(r.getValue())).readObject())
                .filter(e -> e.getString("event").equals("finished"))
                .findFirst()
                .orElseThrow();
        assertEquals("Succeeded", finished.getString("status"));
    }

    @Test
    void aBadCallbackIs422WithEveryOtherProblemAndNothingRuns() {
        Api.Reply reply = api.post(
                "api/v1/Pipelines",
                session.bearer(),
                "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},"
                        + "\"steps\":[{\"nodeId\":\"it-hooks-nobody\",\"procedureId\":\"p\"}],"
                        + "\"callback\":{\"url\":\"ftp://example.com/x\",\"events\":[\"done\"]}}");

        assertEquals(422, reply.status(), reply.toString());
        List<String> fields = reply.json().getJsonArray("errors").getValuesAs(JsonObject.class).stream()
                .map(e -> e.getString("field"))
                .toList();
        assertEquals(List.of("steps[0].nodeId", "callback.url", "callback.events[0]"), fields);
    }

    @Test
    void aRunWithoutCallbackHasNoneAndAnotherUsersRunIsNotFound() {
        Api.Reply reply = api.post("api/v1/Pipelines/Awaited", session.bearer(), run("plain", null));
        assertEquals(200, reply.status(), reply.toString());
        String pipelineId = reply.json().getJsonObject("result").getString("pipelineId");

        JsonObject log = callbacks(pipelineId, session);
        assertTrue(log.isNull("callback"));
        assertEquals(0, log.getJsonArray("deliveries").size());
        Session other = Session.register(api);
        assertEquals(
                404,
                api.get("api/v1/PipelineResults/" + pipelineId + "/Callbacks", other.bearer())
                        .status());
    }
}
