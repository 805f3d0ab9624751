package org.aipipeline.runner.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.apscheme.ValueSelector;

/**
 * A node as an external process would be: its own AMQP connection to the real broker, its own
 * queue (named the node id, bound to {@code run-pipeline} with {@code run-pipeline.<nodeId>}),
 * adverts on {@code node-advertisements}, and the protocol's reports and forwarding. Procedures
 * are functions; one that throws {@link Failure} makes the node publish PipelineFailed. A node
 * started {@linkplain #silent silent} advertises but never consumes (a node that never answers).
 */
public final class TestNode implements AutoCloseable {

    private static final String RUN_PIPELINE = "run-pipeline";
    private static final String CANCELLATIONS = "pipeline-cancellations";
    private static final String ADVERTS = "node-advertisements";
    private static final String COMPLETED = "completed-pipeline-steps";
    private static final String FAILED = "failed-pipelines";
    private static final String TYPE_PREFIX = "AiPipeline.Orchestration.Shared.All.Contracts.";
    private static final ApElementJson AP = new ApElementJson();

    /** A procedure's failure as the node reports it. */
    public static final class Failure extends RuntimeException {
        final int code;

        public Failure(int code, String reason) {
            super(reason);
            this.code = code;
        }
    }

    private record Procedure(String input, String output, UnaryOperator<ApElement> body) {}

    private final String nodeId;
    private final Map<String, Procedure> procedures = new LinkedHashMap<>();
    private String brokerUri = System.getProperty("it.rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672");
    private boolean consuming = true;
    private boolean honoursCancellations;
    /** Pipelines the runner announced as cancelled, each completed when its CancelPipeline arrived. */
    private final Map<String, CompletableFuture<Void>> cancellations = new ConcurrentHashMap<>();
    /** Pipelines whose step this node stopped on a CancelPipeline, without reporting it. */
    private final Set<String> stopped = ConcurrentHashMap.newKeySet();

    private Connection connection;
    private Channel channel;

    private TestNode(String nodeId) {
        this.nodeId = nodeId;
    }

    public static TestNode named(String nodeId) {
        return new TestNode(nodeId);
    }

    public TestNode procedure(String id, String inputScheme, String outputScheme, UnaryOperator<ApElement> body) {
        procedures.put(id, new Procedure(inputScheme, outputScheme, body));
        return this;
    }

    /** Advertises but never takes a step off its queue. */
    public TestNode silent() {
        consuming = false;
        return this;
    }

    /**
     * Binds a queue of its own to the {@code pipeline-cancellations} fanout and honours
     * CancelPipeline: a step still running for a cancelled pipeline is abandoned and not reported.
     */
    public TestNode honouringCancellations() {
        honoursCancellations = true;
        return this;
    }

    /** Whether a CancelPipeline for the pipeline has arrived. */
    public boolean cancellationArrived(String pipelineId) {
        CompletableFuture<Void> arrived = cancellations.get(pipelineId);
        return arrived != null && arrived.isDone();
    }

    /** Whether this node stopped the pipeline's step on its cancellation (and reported nothing). */
    public boolean stopped(String pipelineId) {
        return stopped.contains(pipelineId);
    }

    private CompletableFuture<Void> cancellation(String pipelineId) {
        return cancellations.computeIfAbsent(pipelineId, id -> new CompletableFuture<>());
    }

    public String id() {
        return nodeId;
    }

    /** Connects to this broker (another vhost, another user) instead of {@code -Dit.rabbitmq.url}. */
    public TestNode connectingTo(String uri) {
        brokerUri = uri;
        return this;
    }

    /**
     * Connects, declares its queue, starts consuming (unless silent) and advertises once. The
     * exchanges it uses are declared only if missing: a node with least-privilege permissions
     * may not declare them (that needs configure), only check them (a passive declare needs none).
     */
    public TestNode start() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(brokerUri);
        connection = factory.newConnection("test-node-" + nodeId);
        channel = connection.createChannel();
        declareIfMissing(RUN_PIPELINE, BuiltinExchangeType.TOPIC);
        declareIfMissing(ADVERTS, BuiltinExchangeType.FANOUT);
        declareIfMissing(COMPLETED, BuiltinExchangeType.FANOUT);
        declareIfMissing(FAILED, BuiltinExchangeType.FANOUT);
        channel.queueDeclare(nodeId, true, false, false, null);
        channel.queueBind(nodeId, RUN_PIPELINE, "run-pipeline." + nodeId);
        if (consuming) {
            Channel consumer = connection.createChannel();
            consumer.basicQos(20);
            consumer.basicConsume(nodeId, false, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body)
                        throws IOException {
                    handle(new String(body, StandardCharsets.UTF_8));
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                }
            });
        }
        if (honoursCancellations) {
            declareIfMissing(CANCELLATIONS, BuiltinExchangeType.FANOUT);
            Channel listener = connection.createChannel();
            // Named after the node, so a least-privilege node user may declare it (payara-config/rabbitmq-users.sh).
            String queue = listener.queueDeclare(nodeId + ".cancellations", false, true, true, null)
                    .getQueue();
            listener.queueBind(queue, CANCELLATIONS, "");
            listener.basicConsume(queue, true, new DefaultConsumer(listener) {
                @Override
                public void handleDelivery(
                        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    JsonObject cancel = Json.createReader(new StringReader(new String(body, StandardCharsets.UTF_8)))
                            .readObject();
                    cancellation(cancel.getString("pipelineId")).complete(null);
                }
            });
        }
        advertise();
        return this;
    }

    public void advertise() throws IOException {
        JsonArrayBuilder list = Json.createArrayBuilder();
        procedures.forEach((id, procedure) -> list.add(Json.createObjectBuilder()
                .add("id", id)
                .add("schemaVersion", "1.0")
                .add("input", read(procedure.input()))
                .add("output", read(procedure.output()))));
        publish(
                ADVERTS,
                "",
                "Events.NodeAdvertisement.NodeAdvertised",
                Json.createObjectBuilder()
                        .add("nodeId", nodeId)
                        .add("procedures", list)
                        .build());
    }

    /** Deletes its queue, as if the node's queue had been removed from the broker. */
    public void deleteQueue() throws IOException {
        channel.queueDelete(nodeId);
    }

    /** Whether its queue exists on the broker. */
    public boolean queueExists() throws IOException {
        return exists(probe -> probe.queueDeclarePassive(nodeId));
    }

    private void declareIfMissing(String exchange, BuiltinExchangeType type) throws IOException {
        if (!exists(probe -> probe.exchangeDeclarePassive(exchange))) {
            channel.exchangeDeclare(exchange, type, true);
        }
    }

    private interface Probe {
        void ask(Channel probe) throws IOException;
    }

    /** Asks on a throwaway channel: a failed passive declare closes the channel it was made on. */
    private boolean exists(Probe passiveDeclare) throws IOException {
        Channel probe = connection.createChannel();
        try {
            passiveDeclare.ask(probe);
            return true;
        } catch (IOException absent) {
            return false;
        } finally {
            if (probe.isOpen()) {
                try {
                    probe.close();
                } catch (Exception ignored) {
                    // closing a probe channel is best effort
                }
            }
        }
    }

    private synchronized void handle(String body) throws IOException {
        JsonObject step = Json.createReader(new StringReader(body)).readObject();
        JsonObject current = step.getJsonObject("currentStep");
        JsonArray next = step.getJsonArray("nextSteps");
        Procedure procedure = procedures.get(current.getString("procedureId"));
        String pipelineId = step.getString("pipelineId");
        try {
            if (procedure == null) {
                throw new Failure(404, "no procedure " + current.getString("procedureId"));
            }
            ApElement input = AP.parse(step.getJsonObject("currentStepInput"), "currentStepInput");
            ApElement output;
            if (honoursCancellations) {
                // The step runs apart, so a CancelPipeline can stop it (abandoned: its thread is left to end).
                CompletableFuture<ApElement> work =
                        CompletableFuture.supplyAsync(() -> procedure.body().apply(input));
                CompletableFuture.anyOf(work, cancellation(pipelineId))
                        .exceptionally(e -> null)
                        .join();
                if (cancellationArrived(pipelineId)) {
                    work.cancel(true);
                    stopped.add(pipelineId);
                    return;
                }
                try {
                    output = work.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw e.getCause() instanceof RuntimeException cause ? cause : e;
                }
            } else {
                output = procedure.body().apply(input);
            }
            String selector =
                    current.isNull("outputValueSelector") ? null : current.getString("outputValueSelector", null);
            ApElement selected = ValueSelector.parse(selector).applyToValue(output);
            publish(
                    COMPLETED,
                    "",
                    "Events.StepCompletion.StepCompleted",
                    Json.createObjectBuilder()
                            .add("pipelineId", pipelineId)
                            .add("procedureIdentifier", current)
                            .add("completedAt", Instant.now().toString())
                            .add("result", AP.toJsonObject(selected))
                            .add("nextSteps", next)
                            .build());
            if (!next.isEmpty()) {
                JsonObject following = next.getJsonObject(0);
                JsonArrayBuilder rest = Json.createArrayBuilder();
                next.stream().skip(1).forEach(rest::add);
                publish(
                        RUN_PIPELINE,
                        "run-pipeline." + following.getString("nodeId"),
                        "Commands.RunPipelineStep.RunPipelineStep",
                        Json.createObjectBuilder(step)
                                .add("currentStep", following)
                                .add("currentStepInput", AP.toJsonObject(selected))
                                .add("nextSteps", rest)
                                .build());
            }
        } catch (RuntimeException e) {
            int code = e instanceof Failure failure ? failure.code : 500;
            JsonArrayBuilder remaining = Json.createArrayBuilder();
            next.forEach(remaining::add);
            publish(
                    FAILED,
                    "",
                    "Events.PipelineFailure.PipelineFailed",
                    Json.createObjectBuilder()
                            .add("pipelineId", pipelineId)
                            .add("procedureIdentifier", current)
                            .add("failedAt", Instant.now().toString())
                            .add("failureCode", code)
                            .add("failureReason", String.valueOf(e.getMessage()))
                            .add("exceptionMessage", e.toString())
                            .add("remainingNotCompletedSteps", remaining)
                            .build());
        }
    }

    /** Reports step {@code order} of a pipeline as completed now, whatever the node was sent: a late or stray report. */
    public void reportCompleted(String pipelineId, String procedureId, int order, ApElement result) throws IOException {
        JsonObject step = Json.createObjectBuilder()
                .add("nodeId", nodeId)
                .add("procedureId", procedureId)
                .add("orderInPipeline", order)
                .addNull("outputValueSelector")
                .build();
        publish(
                COMPLETED,
                "",
                "Events.StepCompletion.StepCompleted",
                Json.createObjectBuilder()
                        .add("pipelineId", pipelineId)
                        .add("procedureIdentifier", step)
                        .add("completedAt", Instant.now().toString())
                        .add("result", AP.toJsonObject(result))
                        .add("nextSteps", Json.createArrayBuilder())
                        .build());
    }

    private synchronized void publish(String exchange, String key, String type, JsonObject body) throws IOException {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json")
                .deliveryMode(2)
                .messageId(UUID.randomUUID().toString())
                .headers(Map.of("message-type", TYPE_PREFIX + type))
                .build();
        channel.basicPublish(exchange, key, properties, body.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonValue read(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Override
    public void close() throws Exception {
        if (connection != null && connection.isOpen()) {
            connection.close();
        }
    }
}
