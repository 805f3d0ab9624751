package org.aipipeline.runner.smoke;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.Multipart;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.StartedNodes;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The smoke suite for a runner someone else deployed (server-config/wildfly.sh,
 * server-config/payara-server.sh): what a new user does first, against {@code -Dsmoke.url}, with
 * test nodes on {@code -Dit.rabbitmq.url} (the runner's broker). Not part of {@code mvn verify}:
 * the name ends in neither Test nor IT, so it runs only when named
 * ({@code mvn test -Dtest=DeployedRunnerSmoke -Dsmoke.url=http://127.0.0.1:8180/
 * -Dsmoke.ready-url=http://127.0.0.1:10090/health/ready -Dit.rabbitmq.url=amqp://...}).
 *
 * <p>One user and one pair of nodes for the class: the steps build on each other as a user's
 * first session does, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployedRunnerSmoke {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String WORDS = "smoke-words-" + SUFFIX;
    private static final String DESCRIBER = "smoke-describer-" + SUFFIX;
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static Api api;
    private static Session session;
    private static StartedNodes nodes;

    @BeforeAll
    static void registerAndStartNodes() throws Exception {
        URL base = URI.create(System.getProperty("smoke.url", "http://127.0.0.1:8080/"))
                .toURL();
        api = new Api(base);
        session = Session.register(api);
        nodes = StartedNodes.start(api, session, TestNodes.wordProcessor(WORDS), TestNodes.describer(DESCRIBER));
    }

    @AfterAll
    static void stopNodes() throws Exception {
        if (nodes != null) {
            nodes.close();
        }
    }

    @Test
    @Order(1)
    void theRegisteredUserLogsInAndSeesThemself() {
        Session again = Session.login(api, session.username(), session.password());
        Api.Reply me = api.get("api/v1/Users/" + session.userId(), again.bearer());
        assertEquals(200, me.status(), me.toString());
        assertEquals(session.username(), me.json().getJsonObject("user").getString("username"));
    }

    @Test
    @Order(2)
    void anUploadedFileDownloadsByteForByte() throws Exception {
        byte[] content = ("smoke " + SUFFIX + "\n").repeat(10_000).getBytes(StandardCharsets.UTF_8);
        Multipart form =
                new Multipart().file("file", "smoke.txt", "text/plain", content).field("storageScope", "Temporary");
        HttpResponse<String> uploaded = HTTP.send(
                api.request("api/v1/Files/Upload", session.bearer())
                        .header("Content-Type", form.contentType())
                        .POST(form.publisher())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        JsonObject file = new Api.Reply(201, uploaded).json().getJsonObject("file");
        assertEquals(content.length, file.getJsonNumber("sizeBytes").longValue());
        assertEquals("Temporary", file.getString("fileStorageScope"));

        HttpResponse<byte[]> download = HTTP.send(
                api.request("api/v1/Files/" + file.getString("id") + "/Download", session.bearer())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertArrayEquals(content, download.body());
    }

    @Test
    @Order(3)
    void theStartedNodesAreListedAsAvailable() {
        Api.Reply listed = api.get("api/v1/Nodes?pageSize=100", session.bearer());
        assertEquals(200, listed.status(), listed.toString());
        JsonObject words = listed.json().getJsonArray("items").stream()
                .map(JsonValue::asJsonObject)
                .filter(node -> node.getString("id").equals(WORDS))
                .findFirst()
                .orElseThrow(() -> new AssertionError(WORDS + " not listed: " + listed.body()));
        assertTrue(words.toString().contains("repeat-string"), words.toString());
    }

    @Test
    @Order(4)
    void anAwaitedTwoStepPipelineSucceedsAndItsResultsCanBeRead() {
        String input =
                "{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\"ab\"},"
                        + "\"repetitionCount\":{\"type\":\"ApInt\",\"value\":3}}}";
        String steps = "[{\"nodeId\":\"" + WORDS + "\",\"procedureId\":\"repeat-string\"}," + "{\"nodeId\":\""
                + DESCRIBER + "\",\"procedureId\":\"describe\"}]";
        Api.Reply done = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":" + input + ",\"steps\":" + steps + ",\"timeoutSeconds\":60}");
        assertEquals(200, done.status(), done.toString());
        assertTrue(done.body().contains("ababab"), done.body());

        Api.Reply results = api.get("api/v1/PipelineResults?pageSize=10", session.bearer());
        assertEquals(200, results.status(), results.toString());
        JsonObject run = results.json().getJsonArray("items").getJsonObject(0);
        String pipelineId = done.json().getJsonObject("result").getString("pipelineId");
        assertEquals(pipelineId, run.getString("pipelineId"), run.toString());
        assertEquals("Succeeded", run.getString("status"), run.toString());
        Api.Reply one = api.get("api/v1/PipelineResults/" + pipelineId, session.bearer());
        assertEquals(200, one.status(), one.toString());
        assertEquals(
                2,
                one.json().getJsonObject("result").getJsonArray("stepResults").size(),
                one.body());
    }

    @Test
    @Order(5)
    void theRunnerIsReadyAndServesItsOpenApiDocument() {
        // WildFly serves MicroProfile Health on its management port, Payara on the HTTP port.
        String readyUrl =
                System.getProperty("smoke.ready-url", api.uri("health/ready").toString());
        Api.Reply ready = api.send(HttpRequest.newBuilder(URI.create(readyUrl)).GET());
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("UP", ready.json().getString("status"), ready.body());

        Api.Reply openapi = api.send(api.request("openapi", null)
                .header("Accept", "application/json")
                .GET());
        assertEquals(200, openapi.status(), openapi.toString());
        assertTrue(openapi.json().getJsonObject("paths").containsKey("/api/v1/Pipelines/Awaited"), openapi.body());
    }
}
