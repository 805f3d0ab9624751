package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.ShutdownSignalException;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Rabbitmqctl;
import org.aipipeline.runner.testing.RunnerJar;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The broker set up by {@code payara-config/rabbitmq-users.sh}: the real runner (its own JVM)
 * runs with exactly the runner user's permissions, nodes with exactly theirs, and RabbitMQ refuses
 * a node everything beyond its own queue and the four exchanges it publishes to. Each refusal
 * below is RabbitMQ's answer (403 ACCESS_REFUSED), which also proves the permission rule it rests
 * on (README, "Messaging and node configuration"). Runs in a vhost and with users of its own,
 * created here and deleted afterwards; needs rabbitmqctl for the broker at {@code it.rabbitmq.url}.
 */
class LeastPrivilegeBrokerIT {

    private static final String SCRIPT = "payara-config/rabbitmq-users.sh";
    private static final URI BROKER =
            URI.create(System.getProperty("it.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672"));
    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    private static final String VHOST = baseVhost() + "-least-privilege-" + SUFFIX;
    private static final String RUNNER_USER = VHOST + "-runner";
    private static final String WORDS = "lp-words-" + SUFFIX;
    private static final String DESCRIBER = "lp-describer-" + SUFFIX;
    private static final String WORDS_USER = VHOST + "-words";
    private static final String DESCRIBER_USER = VHOST + "-describer";
    private static final String DECLARER = "lp-declarer-" + SUFFIX;
    private static final String DECLARER_USER = VHOST + "-declarer";

    private static final Map<String, String> PASSWORDS = Map.of(
            RUNNER_USER, password(), WORDS_USER, password(), DESCRIBER_USER, password(), DECLARER_USER, password());

    static RunnerJar runner;
    static TestNode words;
    static TestNode describer;
    static Connection asWords;
    static Api api;

    @BeforeAll
    static void setUpTheBrokerAndStartTheRunner() throws Exception {
        Rabbitmqctl.run("add_vhost", VHOST);
        Rabbitmqctl.Result setUp = script(Map.of(
                        "RABBITMQ_VHOST",
                        VHOST,
                        "RUNNER_USER",
                        RUNNER_USER,
                        "RUNNER_PASSWORD",
                        PASSWORDS.get(RUNNER_USER),
                        "NODES",
                        WORDS + ":" + WORDS_USER + ":" + PASSWORDS.get(WORDS_USER) + " " + DESCRIBER + ":"
                                + DESCRIBER_USER + ":" + PASSWORDS.get(DESCRIBER_USER)))
                .orFail(SCRIPT);
        assertFalse(setUp.output().contains(PASSWORDS.get(WORDS_USER)), "a given password is never printed");

        runner = RunnerJar.start(Map.of("RABBITMQ_URL", uri(RUNNER_USER))).awaitReady(Duration.ofMinutes(3));
        api = new Api(runner.url());
        words = TestNodes.wordProcessor(WORDS).connectingTo(uri(WORDS_USER)).start();
        describer =
                TestNodes.describer(DESCRIBER).connectingTo(uri(DESCRIBER_USER)).start();
        asWords = connect(WORDS_USER);
    }

    @AfterAll
    static void stopAndDeleteEverything() throws Exception {
        for (AutoCloseable open : new AutoCloseable[] {asWords, words, describer, runner}) {
            if (open != null) {
                try {
                    open.close();
                } catch (Exception e) {
                    System.err.println("LeastPrivilegeBrokerIT: closing " + open + " failed: " + e);
                }
            }
        }
        Rabbitmqctl.run("delete_vhost", VHOST);
        for (String user : PASSWORDS.keySet()) {
            Rabbitmqctl.execute(List.of("rabbitmqctl", "-q", "delete_user", user), Map.of()); // absent users are fine
        }
    }

    @Test
    void theRunnerAndTheNodesRunAPipelineWithOnlyTheirOwnPermissions() {
        Session session = Session.register(api);
        Poll.until(
                Duration.ofSeconds(60),
                () -> api.get("api/v1/Nodes?pageSize=100", session.bearer()).body(),
                body -> body.contains("\"" + WORDS + "\"") && body.contains("\"" + DESCRIBER + "\""),
                "both nodes listed");

        // Two nodes: the runner sends step 1 to WORDS, which forwards step 2 to DESCRIBER itself.
        Api.Reply reply = api.post(
                "api/v1/Pipelines/Awaited",
                session.bearer(),
                "{\"input\":{\"type\":\"ApObject\","
                        + "\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\"ab\"},"
                        + "\"repetitionCount\":{\"type\":\"ApInt\",\"value\":3}}},\"steps\":["
                        + "{\"nodeId\":\"" + WORDS + "\",\"procedureId\":\"repeat-string\"},"
                        + "{\"nodeId\":\"" + DESCRIBER + "\",\"procedureId\":\"describe\"}],\"timeoutSeconds\":60}");

        assertEquals(200, reply.status(), reply.toString());
        JsonObject result = reply.json().getJsonObject("result");
        assertEquals("Succeeded", result.getString("status"), reply.toString());
        JsonObject described =
                result.getJsonArray("stepResults").getJsonObject(1).getJsonObject("result");
        assertEquals(
                "ababab",
                described.getJsonObject("properties").getJsonObject("text").getString("value"));
        assertFalse(runner.log().contains("ACCESS_REFUSED"), "the runner was refused something:\n" + runner.logTail());
    }

    @Test
    void theRunnerDeadLettersWithItsOwnPermissions() throws Exception {
        String messageId = "lp-stray-" + UUID.randomUUID();
        assertAllowed(
                asWords,
                "a node publishes PipelineFailed",
                channel -> publish(
                        channel, "failed-pipelines", "", messageId, "{\"pipelineId\":\"" + UUID.randomUUID() + "\"}"));

        Poll.until(
                Duration.ofSeconds(60),
                runner::log,
                log -> log.contains("Dead-lettered message " + messageId),
                "the stray report dead-lettered by the runner");
        assertFalse(runner.log().contains("ACCESS_REFUSED"), runner.logTail());
    }

    @Test
    void aNodeCannotReadAnotherNodesQueueNorTheRunnersQueues() throws Exception {
        // basic.consume and basic.get need read on the queue
        assertRefused(asWords, "consuming another node's queue", channel -> consume(channel, DESCRIBER));
        assertRefused(asWords, "getting from another node's queue", channel -> channel.basicGet(DESCRIBER, false));
        for (String queue : List.of(
                "completed-pipeline-steps-queue",
                "failed-pipelines-queue",
                "node-advertisements-queue",
                "runner-dead-letters-queue")) {
            assertRefused(asWords, "consuming the runner's " + queue, channel -> consume(channel, queue));
        }
        assertAllowed(asWords, "getting from its own queue", channel -> channel.basicGet(WORDS, false));
    }

    @Test
    void aNodeCannotBindItsQueueToSeeOtherMessages() throws Exception {
        // queue.bind and exchange.bind are checked against the topic permissions' read regex on a topic exchange
        assertRefusedByTopicPermissions(
                asWords,
                "binding its queue with another node's key",
                channel -> channel.queueBind(WORDS, "run-pipeline", "run-pipeline." + DESCRIBER));
        assertRefusedByTopicPermissions(
                asWords, "binding its queue with a wildcard", channel -> channel.queueBind(WORDS, "run-pipeline", "#"));
        assertRefusedByTopicPermissions(
                asWords,
                "binding its queue with a wildcard",
                channel -> channel.queueBind(WORDS, "run-pipeline", "run-pipeline.*"));
        assertRefusedByTopicPermissions(
                asWords,
                "routing run-pipeline into an exchange it may write to",
                channel -> channel.exchangeBind("completed-pipeline-steps", "run-pipeline", "#"));
        // queue.bind needs read on the exchange: nodes cannot listen to each other's reports
        assertRefused(
                asWords,
                "binding its queue to completed-pipeline-steps",
                channel -> channel.queueBind(WORDS, "completed-pipeline-steps", ""));
        // queue.bind needs write on the queue
        assertRefused(
                asWords,
                "binding another node's queue",
                channel -> channel.queueBind(DESCRIBER, "run-pipeline", "run-pipeline." + WORDS));
        // queue.declare needs configure on the queue, also for a server-named one
        assertRefused(
                asWords,
                "declaring a queue of another name",
                channel -> channel.queueDeclare("lp-snoop-" + SUFFIX, false, false, true, null));
        assertRefused(asWords, "declaring a server-named queue", channel -> channel.queueDeclare());
        assertAllowed(asWords, "what a node does: declaring and binding its own queue", channel -> {
            channel.queueDeclare(WORDS, true, false, false, null);
            channel.queueBind(WORDS, "run-pipeline", "run-pipeline." + WORDS);
        });
        assertAllowed(asWords, "listening to CancelPipeline on a queue named after itself", channel -> {
            channel.queueDeclare(WORDS + ".cancellations", false, true, true, null);
            channel.queueBind(WORDS + ".cancellations", "pipeline-cancellations", "");
            consume(channel, WORDS + ".cancellations");
        });
        assertRefused(
                asWords,
                "binding another node's cancellations queue name",
                channel -> channel.queueDeclare(DESCRIBER + ".cancellations", false, true, true, null));
    }

    @Test
    void aNodeCannotPublishWhereOnlyTheRunnerMay() throws Exception {
        // basic.publish needs write on the exchange; "" is amq.default, which routes straight to any queue
        assertRefused(
                asWords,
                "publishing to runner-dead-letters",
                channel -> publish(channel, "runner-dead-letters", "", "lp-forged", "{}"));
        assertRefused(
                asWords,
                "publishing to runner-pipeline-finished",
                channel -> publish(channel, "runner-pipeline-finished", "", "lp-forged", "{}"));
        assertRefused(
                asWords,
                "publishing straight into another node's queue",
                channel -> publish(channel, "", DESCRIBER, "lp-forged", "{}"));
        assertRefused(
                asWords,
                "publishing straight into the runner's queue",
                channel -> publish(channel, "", "completed-pipeline-steps-queue", "lp-forged", "{}"));
        // basic.publish is checked against the topic permissions' write regex on a topic exchange
        assertRefusedByTopicPermissions(
                asWords,
                "publishing on run-pipeline with a key that is not run-pipeline.<node>",
                channel -> publish(channel, "run-pipeline", "elsewhere", "lp-forged", "{}"));
        // What stays open (README): the protocol has nodes send later steps to any node.
        assertAllowed(asWords, "publishing a step for any node", channel -> {
            channel.confirmSelect();
            publish(channel, "run-pipeline", "run-pipeline.lp-nobody-" + SUFFIX, "lp-step", "{}");
            channel.waitForConfirmsOrDie(10_000);
        });
    }

    @Test
    void aNodeCannotDeleteOrPurgeWhatIsNotItsOwnNorRedeclareTheExchanges() throws Exception {
        // queue.delete needs configure, queue.purge read, on the queue
        assertRefused(asWords, "deleting another node's queue", channel -> channel.queueDelete(DESCRIBER));
        assertRefused(asWords, "purging another node's queue", channel -> channel.queuePurge(DESCRIBER));
        assertRefused(
                asWords,
                "deleting the runner's queue",
                channel -> channel.queueDelete("completed-pipeline-steps-queue"));
        assertRefused(
                asWords, "purging the runner's queue", channel -> channel.queuePurge("completed-pipeline-steps-queue"));
        // exchange.delete and exchange.declare need configure on the exchange, even an identical redeclare
        assertRefused(asWords, "deleting run-pipeline", channel -> channel.exchangeDelete("run-pipeline"));
        assertRefused(
                asWords,
                "redeclaring run-pipeline as it is",
                channel -> channel.exchangeDeclare("run-pipeline", BuiltinExchangeType.TOPIC, true));
        // ... unless passive: checking that an exchange or queue exists needs no permission
        assertAllowed(
                asWords, "checking run-pipeline exists", channel -> channel.exchangeDeclarePassive("run-pipeline"));
        assertAllowed(
                asWords,
                "counting another node's messages (open, README)",
                channel -> channel.queueDeclarePassive(DESCRIBER));
    }

    @Test
    void theRunnerUserCannotReadANodesQueue() throws Exception {
        try (Connection asRunner = connect(RUNNER_USER)) {
            assertRefused(asRunner, "the runner consuming a node's queue", channel -> consume(channel, WORDS));
            assertAllowed(
                    asRunner,
                    "the runner declaring a node's queue",
                    channel -> channel.queueDeclare(WORDS, true, false, false, null));
        }
    }

    @Test
    void theScriptCanBeRunAgainAndKeepsPasswordsItIsNotGiven() throws Exception {
        String before = permissionsInTheVhost();

        Rabbitmqctl.Result again = script(
                        Map.of("NODES", WORDS + ":" + WORDS_USER + " " + DESCRIBER + ":" + DESCRIBER_USER),
                        "--vhost",
                        VHOST,
                        "--runner",
                        RUNNER_USER)
                .orFail(SCRIPT);

        assertTrue(again.output().contains("user " + WORDS_USER + ": exists, password kept"), again.output());
        assertEquals(before, permissionsInTheVhost());
        try (Connection stillWorks = connect(RUNNER_USER)) {
            assertTrue(stillWorks.isOpen());
        }
    }

    @Test
    void aNodeMayDeclareTheExchangesOnlyWhenTheScriptIsToldSo() throws Exception {
        script(
                        Map.of(),
                        "--vhost",
                        VHOST,
                        "--runner",
                        RUNNER_USER,
                        "--node",
                        DECLARER + ":" + DECLARER_USER + ":" + PASSWORDS.get(DECLARER_USER),
                        "--nodes-declare-exchanges")
                .orFail(SCRIPT);

        try (Connection asDeclarer = connect(DECLARER_USER)) {
            assertAllowed(
                    asDeclarer,
                    "a node with --nodes-declare-exchanges redeclaring the protocol's exchanges",
                    channel -> {
                        channel.exchangeDeclare("run-pipeline", BuiltinExchangeType.TOPIC, true);
                        channel.exchangeDeclare("completed-pipeline-steps", BuiltinExchangeType.FANOUT, true);
                    });
            assertRefused(
                    asDeclarer,
                    "declaring the runner's exchange",
                    channel -> channel.exchangeDeclare("runner-dead-letters", BuiltinExchangeType.FANOUT, true));
        }
        assertRefused(
                asWords,
                "a node without it redeclaring completed-pipeline-steps",
                channel -> channel.exchangeDeclare("completed-pipeline-steps", BuiltinExchangeType.FANOUT, true));
    }

    @Test
    void theScriptRefusesANodeIdThatNamesOneOfTheRunnersQueues() {
        Rabbitmqctl.Result refused = script(
                Map.of(),
                "--vhost",
                VHOST,
                "--runner",
                RUNNER_USER,
                "--node",
                "completed-pipeline-steps-queue:" + VHOST + "-thief:x");

        assertEquals(2, refused.exitCode(), refused.output());
        assertTrue(
                refused.output()
                        .contains(
                                "node id 'completed-pipeline-steps-queue' is one of the protocol's exchanges or queues"),
                refused.output());
        assertFalse(Rabbitmqctl.run("-s", "list_users").contains(VHOST + "-thief"), "nothing is changed");
    }

    /** Every user's permissions and topic permissions in the vhost, one sorted line each. */
    private static String permissionsInTheVhost() {
        return (Rabbitmqctl.run("-s", "list_permissions", "-p", VHOST)
                        + Rabbitmqctl.run("-s", "list_topic_permissions", "-p", VHOST))
                .lines()
                .sorted()
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    private interface ChannelWork {
        void on(Channel channel) throws Exception;
    }

    /**
     * Runs {@code work} on a fresh channel and expects RabbitMQ to close the channel with 403
     * ACCESS_REFUSED. The synchronous basic.qos afterwards catches refusals of asynchronous
     * methods (basic.publish): by the time its answer is due, the channel has been closed.
     */
    private static void assertRefused(Connection connection, String what, ChannelWork work) throws IOException {
        refusal(connection, what, work);
    }

    /** Refused by the routing-key check RabbitMQ adds for topic exchanges, not by the vhost permissions. */
    private static void assertRefusedByTopicPermissions(Connection connection, String what, ChannelWork work)
            throws IOException {
        String reason = refusal(connection, what, work);
        assertTrue(reason.contains("access to topic"), what + ": " + reason);
    }

    /** The reply text of the 403 that closed the channel. */
    private static String refusal(Connection connection, String what, ChannelWork work) throws IOException {
        Channel channel = connection.createChannel();
        try {
            work.on(channel);
            channel.basicQos(0);
            throw new AssertionError(what + " was allowed; it must be refused");
        } catch (Exception e) {
            ShutdownSignalException signal = e instanceof ShutdownSignalException direct
                    ? direct
                    : e.getCause() instanceof ShutdownSignalException cause ? cause : null;
            assertNotNull(signal, what + " failed otherwise than by a refusal: " + e);
            AMQP.Channel.Close close = assertInstanceOf(AMQP.Channel.Close.class, signal.getReason(), what);
            assertEquals(403, close.getReplyCode(), what + ": " + close.getReplyText());
            assertTrue(close.getReplyText().startsWith("ACCESS_REFUSED"), what + ": " + close.getReplyText());
            return close.getReplyText();
        } finally {
            closeQuietly(channel);
        }
    }

    private static void assertAllowed(Connection connection, String what, ChannelWork work) throws IOException {
        Channel channel = connection.createChannel();
        try {
            work.on(channel);
            channel.basicQos(0);
        } catch (Exception e) {
            throw new AssertionError(what + " must be allowed, but: " + e, e);
        } finally {
            closeQuietly(channel);
        }
    }

    private static void consume(Channel channel, String queue) throws IOException {
        channel.basicConsume(queue, false, new DefaultConsumer(channel));
    }

    private static void publish(Channel channel, String exchange, String key, String messageId, String body)
            throws IOException {
        channel.basicPublish(
                exchange,
                key,
                new AMQP.BasicProperties.Builder()
                        .contentType("application/json")
                        .deliveryMode(2)
                        .messageId(messageId)
                        .build(),
                body.getBytes(StandardCharsets.UTF_8));
    }

    private static void closeQuietly(Channel channel) {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | java.util.concurrent.TimeoutException | AlreadyClosedException e) {
            // the channel is gone either way
        }
    }

    private static Rabbitmqctl.Result script(Map<String, String> environment, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT));
        command.addAll(List.of(args));
        return Rabbitmqctl.execute(command, environment);
    }

    private static Connection connect(String user) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri(user));
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("least-privilege-it-" + user);
    }

    /** The broker of {@code it.rabbitmq.url}, this test's vhost, {@code user} with its password. */
    private static String uri(String user) {
        return "amqp://" + encode(user) + ":" + encode(PASSWORDS.get(user)) + "@" + BROKER.getHost() + ":"
                + (BROKER.getPort() > 0 ? BROKER.getPort() : 5672) + "/" + encode(VHOST);
    }

    private static String encode(String part) {
        return URLEncoder.encode(part, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Named after the vhost the suite was given (it-broker → it-broker-least-privilege-…), else "it". */
    private static String baseVhost() {
        String path = BROKER.getPath() == null ? "" : BROKER.getPath().replaceFirst("^/", "");
        return path.isBlank() ? "it" : path;
    }

    private static String password() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
