package org.aipipeline.runner.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A node that does nothing but answer, speaking the real protocol on the real broker: its
 * procedure {@code noop} returns its ApString input. It reports StepCompleted and forwards the
 * next step exactly like a .NET node, so the runner's cost is measured, not the node's.
 *
 * <p>Each node has its own connection and channel (one node's traffic never queues behind
 * another's), consumes with a prefetch of {@value #PREFETCH}, and publishes with asynchronous
 * confirms: it never waits for the broker per message, but a message the broker refused is
 * counted and reported.
 */
final class NoOpNode implements AutoCloseable {

    static final String PROCEDURE = "noop";
    private static final int PREFETCH = 300;
    private static final String NS = "AiPipeline.Orchestration.Shared.All.Contracts.";
    // Json.create* looks the provider up through the ServiceLoader on every call: look it up once.
    private static final JsonProvider JSON = JsonProvider.provider();

    private final String nodeId;
    private final Connection connection;
    private final Channel channel;
    // message-ids: unique per node (random high bits) without a SecureRandom call per message.
    private final long idPrefix = ThreadLocalRandom.current().nextLong();
    private final AtomicLong idCounter = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final long paceNanos;

    NoOpNode(ConnectionFactory factory, String nodeId) throws Exception {
        this(factory, nodeId, Duration.ZERO, true);
    }

    /**
     * A node that spends {@code pace} on each step before answering (the fault suite slows a node
     * down so that a fault lands mid-run), or, without {@code answers}, a node that advertises and
     * never consumes its queue: a node that never answers.
     */
    NoOpNode(ConnectionFactory factory, String nodeId, Duration pace, boolean answers) throws Exception {
        this.nodeId = nodeId;
        this.paceNanos = pace.toNanos();
        this.connection = factory.newConnection("bench-node-" + nodeId);
        this.channel = connection.createChannel();
        channel.exchangeDeclare("run-pipeline", BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare("node-advertisements", BuiltinExchangeType.FANOUT, true);
        channel.exchangeDeclare("completed-pipeline-steps", BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(nodeId, true, false, false, null);
        channel.queueBind(nodeId, "run-pipeline", "run-pipeline." + nodeId);
        channel.confirmSelect();
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {}

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                refused.incrementAndGet();
            }
        });
        if (!answers) {
            return;
        }
        channel.basicQos(PREFETCH);
        channel.basicConsume(
                nodeId,
                false,
                (tag, delivery) -> {
                    if (!connection.isOpen()) {
                        return; // aborted: what the client library still buffered is never answered, as in a killed
                        // process
                    }
                    handle(delivery.getBody());
                    channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                },
                tag -> {});
    }

    String id() {
        return nodeId;
    }

    /** Publishes the broker refused (nacks); a batch of them is counted once. */
    long refused() {
        return refused.get();
    }

    static String advert(String nodeId) {
        JsonObject scheme = JSON.createObjectBuilder()
                .add("type", "ApString")
                .add("value", "")
                .build();
        return JSON.createObjectBuilder()
                .add("nodeId", nodeId)
                .add(
                        "procedures",
                        JSON.createArrayBuilder()
                                .add(JSON.createObjectBuilder()
                                        .add("id", PROCEDURE)
                                        .add("schemaVersion", "1")
                                        .add("input", scheme)
                                        .add("output", scheme)))
                .build()
                .toString();
    }

    void advertise() throws IOException {
        publish("node-advertisements", "", "Events.NodeAdvertisement.NodeAdvertised", advert(nodeId));
    }

    /** Drops the connection the way a killed process does: no close handshake, unacked steps return to the queue. */
    void abort() {
        connection.abort();
    }

    private void handle(byte[] body) throws IOException {
        if (paceNanos > 0) {
            LockSupport.parkNanos(paceNanos);
        }
        JsonObject step;
        try (JsonReader reader = JSON.createReader(new ByteArrayInputStream(body))) {
            step = reader.readObject();
        }
        JsonObject current = step.getJsonObject("currentStep");
        JsonValue output = step.get("currentStepInput");
        JsonArray next = step.getJsonArray("nextSteps");
        JsonArray remaining = next.isEmpty()
                ? next
                : JSON.createArrayBuilder(next.subList(1, next.size())).build();
        publish(
                "completed-pipeline-steps",
                "",
                "Events.StepCompletion.StepCompleted",
                JSON.createObjectBuilder()
                        .add("pipelineId", step.getString("pipelineId"))
                        .add("procedureIdentifier", current)
                        .add("completedAt", Instant.now().toString())
                        .add("result", output)
                        .add("nextSteps", remaining)
                        .build()
                        .toString());
        if (!next.isEmpty()) {
            JsonObject following = next.getJsonObject(0);
            publish(
                    "run-pipeline",
                    "run-pipeline." + following.getString("nodeId"),
                    "Commands.RunPipelineStep.RunPipelineStep",
                    JSON.createObjectBuilder(step)
                            .add("currentStep", following)
                            .add("currentStepInput", output)
                            .add("nextSteps", remaining)
                            .build()
                            .toString());
        }
    }

    private void publish(String exchange, String routingKey, String type, String json) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(new UUID(idPrefix, idCounter.incrementAndGet()).toString())
                .headers(Map.of("message-type", NS + type))
                .build();
        // The consumer thread and advertise() share the channel; a channel is not thread-safe.
        synchronized (channel) {
            channel.basicPublish(exchange, routingKey, properties, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
