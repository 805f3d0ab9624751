package org.aipipeline.runner.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node discovery from the outside: a test node publishes adverts on the real RabbitMQ exactly as a
 * .NET node would, and the registry is observed through {@code GET /Nodes}, the broker and the
 * database. Node ids are unique per test (the broker and database are shared with other runs);
 * the nodes' rows and queues are removed afterwards.
 */
class NodesIT extends DeployedRunner {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String ADVERTS_EXCHANGE = "node-advertisements";
    private static final String DEAD_LETTERS_EXCHANGE = "runner-dead-letters";
    private static final String REASON = "x-runner-rejection-reason";
    private static final ApElementJson SCHEMES = new ApElementJson();

    Session session;
    Connection rabbit;
    Channel channel;
    java.sql.Connection db;
    final String run = UUID.randomUUID().toString().substring(0, 8);
    final Set<String> nodes = new LinkedHashSet<>();

    @BeforeEach
    void connect() throws Exception {
        session = Session.register(api);
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(System.getProperty("it.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672"));
        rabbit = factory.newConnection("nodes-it-test-node");
        channel = rabbit.createChannel();
        channel.confirmSelect();
        db = DriverManager.getConnection(
                System.getProperty("it.db.url", "jdbc:postgresql://127.0.0.1:5432/runner_test"),
                System.getProperty("it.db.user", "postgres"),
                System.getProperty("it.db.password", ""));
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (db == null || rabbit == null) {
            return; // connect() failed; its exception is the one to see
        }
        try (PreparedStatement delete = db.prepareStatement("delete from nodes where id = ?")) {
            for (String node : nodes) {
                try (Channel cleanup = rabbit.createChannel()) {
                    cleanup.queueDelete(node);
                }
                delete.setString(1, node);
                delete.executeUpdate();
            }
        } finally {
            db.close();
            rabbit.close();
        }
    }

    // ---- discovery ------------------------------------------------------------------------------

    @Test
    void publishedAdvertsAppearInNodesWithTheirSchemesExactly() throws Exception {
        String word = node("word-processor");
        String ocr = node("tire-ocr-ocr");
        String post = node("tire-ocr-postprocessing");
        Map<String, String> adverts = Map.of(
                word,
                PublishedAdverts.wordProcessor(word),
                ocr,
                PublishedAdverts.tireOcrOcr(ocr),
                post,
                PublishedAdverts.tireOcrPostprocessing(post));
        Instant before = Instant.now().minusSeconds(1);
        for (String advert : adverts.values()) {
            advertise(advert);
        }
        for (Map.Entry<String, String> published : adverts.entrySet()) {
            JsonObject listed = awaitNode(published.getKey());
            JsonObject advert = json(published.getValue());
            assertEquals(
                    advert.getJsonArray("procedures").size(),
                    listed.getJsonArray("procedures").size());
            JsonObject sent = advert.getJsonArray("procedures").getJsonObject(0);
            JsonObject got = listed.getJsonArray("procedures").getJsonObject(0);
            assertEquals(sent.getString("id"), got.getString("id"));
            assertEquals(JsonValue.ValueType.NUMBER, got.get("schemaVersion").getValueType(), got.toString());
            assertEquals(1, got.getInt("schemaVersion"));
            for (String side : List.of("input", "output")) {
                assertEquals(
                        SCHEMES.parse(sent.getJsonObject(side), side), SCHEMES.parse(got.getJsonObject(side), side));
                assertTrue(got.getJsonObject(side).containsKey("type"), got.toString());
            }
            assertTrue(listed.getBoolean("available"));
            Instant advertisedAt = Instant.parse(listed.getString("lastAdvertisedAt"));
            assertTrue(listed.getString("lastAdvertisedAt").endsWith("Z"));
            assertTrue(advertisedAt.isAfter(before), listed.toString());
            assertEquals(Set.of("id", "procedures", "lastAdvertisedAt", "available"), listed.keySet());
            assertEquals(Set.of("id", "schemaVersion", "input", "output"), got.keySet());
        }
        // a scheme that is already in the canonical form comes back byte for byte
        JsonObject postInput =
                awaitNode(post).getJsonArray("procedures").getJsonObject(0).getJsonObject("input");
        assertEquals(json("{\"type\":\"ApString\",\"value\":\"\"}"), postInput);
    }

    @Test
    void reAdvertisingChangedProceduresReplacesThem() throws Exception {
        String word = node("word-processor");
        advertise(PublishedAdverts.wordProcessor(word));
        awaitNode(word);
        String reverse =
                "{\"id\":\"reverse-string\",\"schemaVersion\":1,\"input\":{\"type\":\"ApString\",\"value\":\"\"},"
                        + "\"output\":{\"type\":\"ApString\",\"value\":\"\"}}";
        String changedRepeat = json(PublishedAdverts.wordProcessor(word))
                .getJsonArray("procedures")
                .getJsonObject(0)
                .toString()
                .replace("repeatedString", "result")
                .replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        advertise("{\"nodeId\":\"" + word + "\",\"procedures\":[" + reverse + "," + changedRepeat + "]}");
        JsonObject changed =
                awaitNode(word, node -> node.getJsonArray("procedures").size() == 2);
        assertEquals(List.of("reverse-string", "repeat-string"), procedureIds(changed));
        JsonObject repeat = changed.getJsonArray("procedures").getJsonObject(1);
        assertEquals(2, repeat.getInt("schemaVersion"));
        assertTrue(repeat.getJsonObject("output").getJsonObject("properties").containsKey("result"), repeat.toString());

        advertise("{\"nodeId\":\"" + word + "\",\"procedures\":[" + reverse + "]}");
        JsonObject reduced =
                awaitNode(word, node -> node.getJsonArray("procedures").size() == 1);
        assertEquals(List.of("reverse-string"), procedureIds(reduced));
        assertEquals(1, count("select count(*) from node_procedures where node_id = ?", word));
    }

    @Test
    void unchangedReAdvertsWriteNoRows() throws Exception {
        String ocr = node("tire-ocr-ocr");
        advertise(PublishedAdverts.tireOcrOcr(ocr));
        awaitNode(ocr);
        RowVersions before = rowVersions(ocr);
        for (int i = 0; i < 20; i++) {
            advertise(PublishedAdverts.tireOcrOcr(ocr));
        }
        // adverts are consumed in order (with some concurrency): once a later one is visible and
        // the queue is drained, the re-adverts have been handled
        String barrier = node("barrier");
        advertise(PublishedAdverts.tireOcrPostprocessing(barrier));
        awaitNode(barrier);
        Poll.until(WAIT, this::advertsWaiting, waiting -> waiting == 0, "node-advertisements-queue drained");
        assertEquals(before, rowVersions(ocr), "no row was rewritten (xmin, updated_at, last_advertised_at)");
    }

    @Test
    void aNodeSilentForLongerThanTheTimeoutIsUnavailableUntilItAdvertisesAgain() throws Exception {
        String post = node("tire-ocr-postprocessing");
        advertise(PublishedAdverts.tireOcrPostprocessing(post));
        assertTrue(awaitNode(post).getBoolean("available"));
        // the node went quiet an hour ago (default timeout: three minutes)
        try (PreparedStatement age = db.prepareStatement(
                "update nodes set last_advertised_at = last_advertised_at - interval '1 hour' where id = ?")) {
            age.setString(1, post);
            assertEquals(1, age.executeUpdate());
        }
        String updatedAt = rowVersions(post).updatedAt();
        JsonObject stale = findNode(post).orElseThrow();
        assertFalse(stale.getBoolean("available"), stale.toString());
        assertTrue(Instant.parse(stale.getString("lastAdvertisedAt"))
                .isBefore(Instant.now().minus(Duration.ofMinutes(59))));

        // the same content again: only the timestamp moves (the touch is due), the procedures stay
        String procedureVersions = rowVersions(post).procedures();
        advertise(PublishedAdverts.tireOcrPostprocessing(post));
        JsonObject back = awaitNode(post, node -> node.getBoolean("available"));
        assertTrue(Instant.parse(back.getString("lastAdvertisedAt"))
                .isAfter(Instant.now().minusSeconds(60)));
        assertEquals(procedureVersions, rowVersions(post).procedures());
        assertEquals(updatedAt, rowVersions(post).updatedAt());
    }

    @Test
    void theNodesQueueIsDeclaredAndBoundSoWorkWaitsForIt() throws Exception {
        String word = node("word-processor");
        advertise(PublishedAdverts.wordProcessor(word));
        awaitNode(word);
        Poll.until(WAIT, () -> queueExists(word), exists -> exists, "queue " + word);
        List<String> returned = new ArrayList<>();
        channel.addReturnListener(r -> returned.add(r.getReplyText()));
        channel.basicPublish(
                "run-pipeline",
                "run-pipeline." + word,
                true,
                new AMQP.BasicProperties.Builder()
                        .deliveryMode(2)
                        .contentType("application/json")
                        .messageId(UUID.randomUUID().toString())
                        .build(),
                "{\"step\":1}".getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(10_000);
        GetResponse step = Poll.until(WAIT, () -> get(word), r -> r != null, "the step in " + word);
        assertEquals("{\"step\":1}", new String(step.getBody(), StandardCharsets.UTF_8));
        assertEquals(List.of(), returned);
    }

    // ---- bad adverts ----------------------------------------------------------------------------

    @Test
    void badAdvertsAreDeadLetteredWithTheReasonAndDoNotTouchTheNode() throws Exception {
        String ocr = node("tire-ocr-ocr");
        advertise(PublishedAdverts.tireOcrOcr(ocr));
        JsonObject good = awaitNode(ocr);
        RowVersions before = rowVersions(ocr);
        // our own copy of everything dead-lettered (the exchange is a fanout), so messages of
        // other runs in runner-dead-letters-queue are neither consumed nor confused with ours
        String copy = channel.queueDeclare("", false, true, true, null).getQueue();
        channel.queueBind(copy, DEAD_LETTERS_EXCHANGE, "");

        Map<String, String> expectedReason = new HashMap<>();
        expectedReason.put(advertise("{\"nodeId\": \"" + ocr + "\", \"procedures\": ["), "not valid JSON");
        expectedReason.put(
                advertise(PublishedAdverts.tireOcrOcr(ocr).replace("\"ApFile\"", "\"ApImage\"")),
                "procedures[0].input.properties.image.type: unknown type");
        expectedReason.put(advertise(PublishedAdverts.wordProcessor("")), "nodeId: blank");
        JsonObject procedure = json(PublishedAdverts.tireOcrOcr(ocr))
                .getJsonArray("procedures")
                .getJsonObject(0);
        expectedReason.put(
                advertise("{\"nodeId\":\"" + ocr + "\",\"procedures\":[" + procedure + "," + procedure + "]}"),
                "procedures[1].id: duplicate procedure id 'PerformSingleOcr'");

        Map<String, String> reasons = new HashMap<>();
        Poll.until(
                WAIT,
                () -> {
                    GetResponse dead = get(copy);
                    if (dead != null
                            && expectedReason.containsKey(dead.getProps().getMessageId())) {
                        reasons.put(
                                dead.getProps().getMessageId(),
                                String.valueOf(dead.getProps().getHeaders().get(REASON)));
                    }
                    return reasons.size();
                },
                size -> size == expectedReason.size(),
                "the four bad adverts dead-lettered");
        expectedReason.forEach((id, reason) -> assertTrue(reasons.get(id).contains(reason), reasons.get(id)));

        assertEquals(before, rowVersions(ocr), "the node was not touched");
        assertEquals(
                good.getJsonArray("procedures"), findNode(ocr).orElseThrow().getJsonArray("procedures"));

        // and the consumer keeps going
        advertise(PublishedAdverts.tireOcrOcr(ocr).replace("PerformSingleOcr", "PerformBatchOcr"));
        awaitNode(ocr, node -> procedureIds(node).equals(List.of("PerformBatchOcr")));
    }

    // ---- the endpoint ---------------------------------------------------------------------------

    @Test
    void nodesArePagedInIdOrder() throws Exception {
        List<String> ids =
                List.of(node("nodes-it-" + run + "-a"), node("nodes-it-" + run + "-b"), node("nodes-it-" + run + "-c"));
        for (String id : List.of(ids.get(2), ids.get(0), ids.get(1))) {
            advertise(PublishedAdverts.tireOcrPostprocessing(id));
        }
        for (String id : ids) {
            awaitNode(id);
        }
        List<String> listed = new ArrayList<>();
        int pageNumber = 1;
        JsonObject pagination;
        do {
            Api.Reply reply = api.get("api/v1/Nodes?pageSize=2&pageNumber=" + pageNumber, session.bearer());
            assertEquals(200, reply.status(), reply.toString());
            pagination = reply.json().getJsonObject("pagination");
            assertEquals(pageNumber, pagination.getInt("pageNumber"));
            assertEquals(2, pagination.getInt("pageSize"));
            assertEquals(pageNumber > 1, pagination.getBoolean("hasPreviousPage"));
            long total = pagination.getJsonNumber("totalCount").longValue();
            assertEquals((total + 1) / 2, pagination.getInt("totalPages"));
            assertTrue(reply.json().getJsonArray("items").size() <= 2);
            reply.json()
                    .getJsonArray("items")
                    .forEach(item -> listed.add(item.asJsonObject().getString("id")));
            pageNumber++;
        } while (pagination.getBoolean("hasNextPage"));
        List<String> ours = listed.stream().filter(ids::contains).toList();
        assertEquals(ids, ours, "ordered by id across pages");

        assertEquals(400, api.get("api/v1/Nodes?pageSize=101", session.bearer()).status());
        assertEquals(400, api.get("api/v1/Nodes?pageNumber=0", session.bearer()).status());
        assertEquals(400, api.get("api/v1/Nodes?pageNumber=x", session.bearer()).status());
    }

    @Test
    void nodesNeedCredentialsAndAreVisibleToEveryUser() throws Exception {
        Api.Reply anonymous = api.get("api/v1/Nodes", null);
        assertEquals(401, anonymous.status(), anonymous.toString());
        assertTrue(anonymous.contentType().startsWith("application/problem+json"), anonymous.contentType());

        String word = node("word-processor");
        advertise(PublishedAdverts.wordProcessor(word));
        awaitNode(word);
        Session other = Session.register(api);
        Api.Reply reply = api.get("api/v1/Nodes?pageSize=100", other.bearer());
        assertEquals(200, reply.status(), reply.toString());
        assertTrue(reply.json().containsKey("items") && reply.json().containsKey("pagination"));
        assertTrue(findNode(word, other).isPresent());
    }

    // ---- the test node and inspection ---------------------------------------------------------

    private String node(String name) {
        String id = name.startsWith("nodes-it-")
                ? name
                : name + "-" + UUID.randomUUID().toString().substring(0, 8);
        nodes.add(id);
        return id;
    }

    /** Publishes like a WolverineFx node: persistent JSON with a message id and the message type. */
    private String advertise(String body) throws Exception {
        String messageId = UUID.randomUUID().toString();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .messageId(messageId)
                .headers(Map.of(MessageType.HEADER, MessageType.NODE_ADVERTISED.dotnetName()))
                .build();
        channel.basicPublish(ADVERTS_EXCHANGE, "", properties, body.getBytes(StandardCharsets.UTF_8));
        channel.waitForConfirmsOrDie(10_000);
        return messageId;
    }

    private JsonObject awaitNode(String id) {
        return awaitNode(id, node -> true);
    }

    private JsonObject awaitNode(String id, java.util.function.Predicate<JsonObject> condition) {
        return Poll.until(
                        WAIT,
                        () -> findNode(id),
                        node -> node.isPresent() && condition.test(node.get()),
                        "node " + id + " in GET /Nodes")
                .orElseThrow();
    }

    private Optional<JsonObject> findNode(String id) {
        return findNode(id, session);
    }

    private Optional<JsonObject> findNode(String id, Session as) {
        int pageNumber = 1;
        while (true) {
            Api.Reply reply = api.get("api/v1/Nodes?pageSize=100&pageNumber=" + pageNumber, as.bearer());
            assertEquals(200, reply.status(), reply.toString());
            for (JsonValue item : reply.json().getJsonArray("items")) {
                if (item.asJsonObject().getString("id").equals(id)) {
                    return Optional.of(item.asJsonObject());
                }
            }
            if (!reply.json().getJsonObject("pagination").getBoolean("hasNextPage")) {
                return Optional.empty();
            }
            pageNumber++;
        }
    }

    private static List<String> procedureIds(JsonObject node) {
        return node.getJsonArray("procedures").stream()
                .map(p -> p.asJsonObject().getString("id"))
                .toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    /** What PostgreSQL changes on any row write: the row versions (xmin) and the timestamps. */
    record RowVersions(String node, String updatedAt, String lastAdvertisedAt, String procedures) {}

    private RowVersions rowVersions(String nodeId) throws Exception {
        try (PreparedStatement node = db.prepareStatement(
                        "select xmin::text, updated_at::text, last_advertised_at::text from nodes where id = ?");
                PreparedStatement procedures = db.prepareStatement(
                        "select coalesce(string_agg(procedure_id || '@' || xmin::text, ',' order by procedure_id), '')"
                                + " from node_procedures where node_id = ?")) {
            node.setString(1, nodeId);
            procedures.setString(1, nodeId);
            try (ResultSet n = node.executeQuery();
                    ResultSet p = procedures.executeQuery()) {
                assertTrue(n.next(), "no row for " + nodeId);
                p.next();
                return new RowVersions(n.getString(1), n.getString(2), n.getString(3), p.getString(1));
            }
        }
    }

    private long count(String sql, String parameter) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private long advertsWaiting() {
        try (Channel inspect = rabbit.createChannel()) {
            return inspect.queueDeclarePassive("node-advertisements-queue").getMessageCount();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A passive declaration fails (and closes the channel) when the queue is missing. */
    private boolean queueExists(String queue) {
        try (Channel inspect = rabbit.createChannel()) {
            inspect.queueDeclarePassive(queue);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private GetResponse get(String queue) {
        try {
            return channel.basicGet(queue, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
