package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TopologyTest {

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
    void declaringTheTopologyTwiceSucceedsAndItExists() throws Exception {
        rabbit.topology.declareAll();
        rabbit.topology.declareAll();

        assertTrue(rabbit.topology.isDeclared());
        for (String queue : new String[] {
            rabbit.topology.nodeAdvertisementsQueue(),
            rabbit.topology.completedPipelineStepsQueue(),
            rabbit.topology.failedPipelinesQueue(),
            rabbit.topology.deadLetterQueue()
        }) {
            rabbit.channel.queueDeclarePassive(queue);
        }
        rabbit.channel.exchangeDeclarePassive(rabbit.topology.runPipelineExchange());
    }

    @Test
    void nodeIdsNamingTheRunnersOwnQueuesAreRecognised() {
        for (String own : List.of(
                "node-advertisements-queue",
                "completed-pipeline-steps-queue",
                "failed-pipelines-queue",
                "runner-dead-letters-queue")) {
            assertTrue(new Topology(null, "").isRunnerQueue(own), own);
        }
        assertFalse(new Topology(null, "").isRunnerQueue("word-processor"));
        assertFalse(new Topology(null, "").isRunnerQueue("run-pipeline"), "an exchange's name is a free queue name");
    }

    @Test
    void fanoutExchangesDeliverToTheirQueues() throws Exception {
        rabbit.publisher.publish(
                rabbit.topology.nodeAdvertisementsExchange(),
                "",
                MessageType.NODE_ADVERTISED,
                "{\"nodeId\":\"n\"}".getBytes(StandardCharsets.UTF_8));
        rabbit.publisher.publish(
                rabbit.topology.completedPipelineStepsExchange(),
                "",
                MessageType.STEP_COMPLETED,
                "{}".getBytes(StandardCharsets.UTF_8));
        rabbit.publisher.publish(
                rabbit.topology.failedPipelinesExchange(),
                "",
                MessageType.PIPELINE_FAILED,
                "{}".getBytes(StandardCharsets.UTF_8));

        assertEquals(
                "{\"nodeId\":\"n\"}",
                new String(
                        rabbit.next(rabbit.topology.nodeAdvertisementsQueue()).getBody(), StandardCharsets.UTF_8));
        assertNotNull(rabbit.next(rabbit.topology.completedPipelineStepsQueue()));
        assertNotNull(rabbit.next(rabbit.topology.failedPipelinesQueue()));
    }

    @Test
    void nodeQueueReceivesStepsRoutedToTheNode() throws Exception {
        String nodeId = "word-processor-" + System.nanoTime();
        rabbit.forgetQueue(rabbit.topology.nodeQueue(nodeId));

        rabbit.topology.declareNodeQueue(nodeId);
        rabbit.topology.declareNodeQueue(nodeId); // cached: no second declaration, no error
        rabbit.publisher.publish(
                rabbit.topology.runPipelineExchange(),
                Topology.nodeRoutingKey(nodeId),
                MessageType.RUN_PIPELINE_STEP,
                "{\"step\":1}".getBytes(StandardCharsets.UTF_8));

        GetResponse step = rabbit.next(rabbit.topology.nodeQueue(nodeId));
        assertEquals("run-pipeline." + nodeId, step.getEnvelope().getRoutingKey());
        assertEquals("{\"step\":1}", new String(step.getBody(), StandardCharsets.UTF_8));
    }

    @Test
    void queueDeclaredByANodeWithOtherArgumentsIsUsedAsItIs() throws Exception {
        // A node of the original platform got there first, with settings of its own.
        String nodeId = "tire-ocr-" + System.nanoTime();
        String queue = rabbit.topology.nodeQueue(nodeId);
        rabbit.forgetQueue(queue);
        rabbit.channel.queueDeclare(queue, true, false, false, Map.of("x-max-length", 1000));

        rabbit.topology.declareNodeQueue(nodeId);
        rabbit.topology.declareAll(); // and the declaring channel still works afterwards

        rabbit.publisher.publish(new OutgoingMessage(
                rabbit.topology.runPipelineExchange(),
                Topology.nodeRoutingKey(nodeId),
                MessageType.RUN_PIPELINE_STEP,
                new byte[] {'{', '}'},
                "id-1"));
        AMQP.BasicProperties properties = rabbit.next(queue).getProps();
        assertEquals("id-1", properties.getMessageId());
    }
}
