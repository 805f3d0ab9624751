package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.aipipeline.runner.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole messaging layer against the in-process Qpid broker instead of RabbitMQ. */
class EmbeddedBrokerTest {

    static EmbeddedBroker embedded;
    static ScheduledExecutorService scheduler;
    static ExecutorService workers;
    static Broker broker;
    static Topology topology;
    static ConfirmedPublisher publisher;
    static Deliveries deliveries;

    @BeforeAll
    static void startEmbeddedBroker() throws Exception {
        int port = TcpProxy.freePort();
        embedded = EmbeddedBroker.start(
                new EmbeddedBrokerSettings(true, port, "127.0.0.1", Files.createTempDirectory("embedded-broker-test")));
        scheduler = Executors.newScheduledThreadPool(2);
        workers = Executors.newFixedThreadPool(4);
        broker = new Broker(
                Broker.connectionFactory(embedded.uri(), Duration.ofMillis(500)), scheduler, Duration.ofMillis(500));
        topology = new Topology(broker, "");
        topology.declareWhenConnected();
        publisher = new ConfirmedPublisher(broker, Duration.ofSeconds(5), 4);
        deliveries = new Deliveries(broker, topology, publisher, workers, scheduler, DeliveriesTest.FAST);
        broker.start();
        Poll.until(
                Duration.ofSeconds(10), topology::isDeclared, declared -> declared, "topology on the embedded broker");
    }

    @AfterAll
    static void stopEmbeddedBroker() {
        broker.close();
        embedded.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }

    @Test
    void topologyIsDeclaredIdempotently() throws Exception {
        topology.declareAll();
        topology.declareAll();
        topology.declareNodeQueue("embedded-node");
    }

    @Test
    void confirmedPublishReachesAConsumerWithItsEnvelope() throws Exception {
        List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
        deliveries.consume(topology.completedPipelineStepsQueue(), handled::add);

        String id = publisher.publish(
                topology.completedPipelineStepsExchange(),
                "",
                MessageType.STEP_COMPLETED,
                "{\"pipelineId\":\"p\"}".getBytes(StandardCharsets.UTF_8));

        Poll.until(Duration.ofSeconds(5), handled::size, size -> size == 1, "the completion consumed");
        AMQP.BasicProperties properties = handled.get(0).properties();
        assertEquals(id, properties.getMessageId());
        assertEquals(2, properties.getDeliveryMode());
        assertEquals("application/json", properties.getContentType());
        assertEquals(
                MessageType.STEP_COMPLETED.dotnetName(),
                String.valueOf(handled.get(0).properties().getHeaders().get("message-type")));
    }

    @Test
    void nodeQueueRoutingAndUnroutableReturns() throws Exception {
        topology.declareNodeQueue("embedded-ocr");
        List<IncomingMessage> steps = new CopyOnWriteArrayList<>();
        deliveries.consume(topology.nodeQueue("embedded-ocr"), steps::add);

        publisher.publish(
                topology.runPipelineExchange(),
                Topology.nodeRoutingKey("embedded-ocr"),
                MessageType.RUN_PIPELINE_STEP,
                "{}".getBytes(StandardCharsets.UTF_8));
        Unroutable unroutable = assertThrows(
                Unroutable.class,
                () -> publisher.publish(
                        topology.runPipelineExchange(),
                        Topology.nodeRoutingKey("nobody"),
                        MessageType.RUN_PIPELINE_STEP,
                        "{}".getBytes(StandardCharsets.UTF_8)));

        Poll.until(Duration.ofSeconds(5), steps::size, size -> size == 1, "the step consumed by the node queue");
        assertTrue(unroutable.routingKey().endsWith("nobody"));
    }

    @Test
    void rejectedMessageIsDeadLettered() throws Exception {
        deliveries.consume(topology.failedPipelinesQueue(), message -> {
            throw new RejectMessage("unknown pipeline");
        });

        publisher.publish(
                topology.failedPipelinesExchange(),
                "",
                MessageType.PIPELINE_FAILED,
                "{}".getBytes(StandardCharsets.UTF_8));

        List<String> reasons = new CopyOnWriteArrayList<>();
        deliveries.consume(
                topology.deadLetterQueue(),
                message -> reasons.add(
                        String.valueOf(message.properties().getHeaders().get("x-runner-rejection-reason"))));
        Poll.until(Duration.ofSeconds(5), reasons::size, size -> size == 1, "a dead letter");
        assertEquals("unknown pipeline", reasons.get(0));
    }
}
