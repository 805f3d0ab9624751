package org.aipipeline.runner.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DeliverCallback;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * A node that does nothing but answer, speaking the real protocol on the real broker: its
 * procedure {@code noop} returns its ApString input. It reports StepCompleted and forwards the
 * next step exactly like a .NET node, so the runner's cost is measured, not the node's.
 */
final class NoOpNode implements AutoCloseable {

    static final String PROCEDURE = "noop";
    private static final String NS = "AiPipeline.Orchestration.Shared.All.Contracts.";

    private final String nodeId;
    private final Channel channel;

    NoOpNode(Connection connection, String nodeId) throws IOException {
        this.nodeId = nodeId;
        this.channel = connection.createChannel();
        channel.exchangeDeclare("run-pipeline", BuiltinExchangeType.TOPIC, true);
        channel.exchangeDeclare("node-advertisements", BuiltinExchangeType.FANOUT, true);
        channel.exchangeDeclare("completed-pipeline-steps", BuiltinExchangeType.FANOUT, true);
        channel.queueDeclare(nodeId, true, false, false, null);
        channel.queueBind(nodeId, "run-pipeline", "run-pipeline." + nodeId);
        channel.basicQos(200);
        DeliverCallback onStep = (tag, delivery) -> {
            handle(delivery.getBody());
            channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
        };
        channel.basicConsume(nodeId, false, onStep, tag -> { });
    }

    static String advert(String nodeId) {
        JsonObject scheme = Json.createObjectBuilder().add("type", "ApString").add("value", "").build();
        return Json.createObjectBuilder()
                .add("nodeId", nodeId)
                .add("procedures", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("id", PROCEDURE).add("schemaVersion", "1")
                        .add("input", scheme).add("output", scheme)))
                .build().toString();
    }

    void advertise() throws IOException {
        publish("node-advertisements", "", "Events.NodeAdvertisement.NodeAdvertised", advert(nodeId));
    }

    private void handle(byte[] body) throws IOException {
        JsonObject step = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8))).readObject();
        JsonObject current = step.getJsonObject("currentStep");
        JsonValue output = step.get("currentStepInput");
        JsonArray next = step.getJsonArray("nextSteps");
        JsonArray remaining = next.isEmpty() ? next : Json.createArrayBuilder(next.subList(1, next.size())).build();
        publish("completed-pipeline-steps", "", "Events.StepCompletion.StepCompleted", Json.createObjectBuilder()
                .add("pipelineId", step.getString("pipelineId"))
                .add("procedureIdentifier", current)
                .add("completedAt", Instant.now().toString())
                .add("result", output)
                .add("nextSteps", remaining)
                .build().toString());
        if (!next.isEmpty()) {
            JsonObject following = next.getJsonObject(0);
            publish("run-pipeline", "run-pipeline." + following.getString("nodeId"),
                    "Commands.RunPipelineStep.RunPipelineStep", Json.createObjectBuilder(step)
                            .add("currentStep", following)
                            .add("currentStepInput", output)
                            .add("nextSteps", remaining)
                            .build().toString());
        }
    }

    private void publish(String exchange, String routingKey, String type, String json) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).messageId(UUID.randomUUID().toString())
                .headers(Map.of("message-type", NS + type)).build();
        synchronized (channel) {
            channel.basicPublish(exchange, routingKey, properties, json.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() throws Exception {
        if (channel.isOpen()) {
            channel.close();
        }
    }
}
