package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConfirmedPublisherTest {

    RealBroker rabbit;

    @BeforeEach
    void connect() throws Exception {
        rabbit = new RealBroker();
    }

    @AfterEach
    void cleanUp() throws Exception {
        rabbit.close();
    }

    @Test
    void publishedMessageCarriesTheEnvelopeWolverineExpects() throws Exception {
        String before = UUID.randomUUID().toString();
        String messageId = rabbit.publisher.publish(
                rabbit.topology.completedPipelineStepsExchange(),
                "",
                MessageType.STEP_COMPLETED,
                "{\"pipelineId\":\"p\"}".getBytes(StandardCharsets.UTF_8));

        GetResponse received = rabbit.next(rabbit.topology.completedPipelineStepsQueue());
        AMQP.BasicProperties properties = received.getProps();
        assertEquals("application/json", properties.getContentType());
        assertEquals(2, properties.getDeliveryMode());
        assertEquals(messageId, properties.getMessageId());
        assertEquals(before.length(), messageId.length(), "message id is a UUID");
        assertNotNull(properties.getTimestamp());
        assertEquals(
                "AiPipeline.Orchestration.Shared.All.Contracts.Events.StepCompletion.StepCompleted",
                properties.getHeaders().get("message-type").toString());
        assertEquals("{\"pipelineId\":\"p\"}", new String(received.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void messageNoQueueIsBoundForFailsAsUnroutable() {
        Unroutable failure = assertThrows(
                Unroutable.class,
                () -> rabbit.publisher.publish(
                        rabbit.topology.runPipelineExchange(),
                        Topology.nodeRoutingKey("no-such-node-" + UUID.randomUUID()),
                        MessageType.RUN_PIPELINE_STEP,
                        "{}".getBytes(StandardCharsets.UTF_8)));

        assertTrue(failure.getMessage().contains("NO_ROUTE"), failure.getMessage());
        assertTrue(failure.routingKey().startsWith("run-pipeline.no-such-node-"));
        // The channel stays usable for the next publisher.
        rabbit.publisher.publish(
                rabbit.topology.failedPipelinesExchange(), "", MessageType.PIPELINE_FAILED, new byte[] {'{', '}'});
    }

    @Test
    void publishingToAMissingExchangeFailsAndThePublisherRecovers() {
        PublishFailed failure = assertThrows(
                PublishFailed.class,
                () -> rabbit.publisher.publish(
                        rabbit.prefix + "missing-exchange", "", MessageType.NODE_ADVERTISED, new byte[] {'{', '}'}));

        assertFalse(failure instanceof Unroutable);
        rabbit.publisher.publish(
                rabbit.topology.failedPipelinesExchange(), "", MessageType.PIPELINE_FAILED, new byte[] {'{', '}'});
    }

    @Test
    void publishingWithoutAConnectionFailsAtOnce() {
        rabbit.broker.close();

        assertThrows(
                PublishFailed.class,
                () -> rabbit.publisher.publish(
                        rabbit.topology.failedPipelinesExchange(), "", MessageType.PIPELINE_FAILED, new byte[] {'{', '}'
                        }));
    }

    @Test
    void batchReportsExactlyTheUnroutableMessages() throws Exception {
        String nodeId = "batch-node-" + System.nanoTime();
        rabbit.forgetQueue(rabbit.topology.nodeQueue(nodeId));
        rabbit.topology.declareNodeQueue(nodeId);
        List<OutgoingMessage> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String key = Topology.nodeRoutingKey(i % 10 == 0 ? "absent-node" : nodeId);
            batch.add(OutgoingMessage.of(
                    rabbit.topology.runPipelineExchange(),
                    key,
                    MessageType.RUN_PIPELINE_STEP,
                    ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8)));
        }

        List<OutgoingMessage> unroutable = rabbit.publisher.publishAll(batch);

        assertEquals(10, unroutable.size());
        assertTrue(unroutable.stream().allMatch(message -> message.routingKey().endsWith("absent-node")));
        assertEquals(90, rabbit.count(rabbit.topology.nodeQueue(nodeId)));
    }

    @Test
    void concurrentPublishersAreAllConfirmed() throws Exception {
        String queue = rabbit.topology.failedPipelinesQueue();
        ExecutorService threads = Executors.newFixedThreadPool(16);
        try {
            List<Callable<List<String>>> publishers = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                publishers.add(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        ids.add(rabbit.publisher.publish(
                                rabbit.topology.failedPipelinesExchange(),
                                "",
                                MessageType.PIPELINE_FAILED,
                                "{}".getBytes(StandardCharsets.UTF_8)));
                    }
                    return ids;
                });
            }
            Set<String> published = new HashSet<>();
            for (Future<List<String>> ids : threads.invokeAll(publishers)) {
                published.addAll(ids.get());
            }

            assertEquals(800, published.size());
            assertEquals(800, rabbit.count(queue), "every confirmed message is in the queue");
            Set<String> received = new HashSet<>();
            GetResponse response;
            while ((response = rabbit.get(queue)) != null) {
                received.add(response.getProps().getMessageId());
            }
            assertEquals(published, received);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void confirmTimeoutIsConfigurable() {
        ConfirmedPublisher impatient = new ConfirmedPublisher(rabbit.broker, Duration.ofSeconds(2), 1);
        assertNotNull(impatient.publish(
                rabbit.topology.failedPipelinesExchange(), "", MessageType.PIPELINE_FAILED, new byte[] {'{', '}'}));
    }
}
