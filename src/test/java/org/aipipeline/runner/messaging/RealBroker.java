package org.aipipeline.runner.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.aipipeline.runner.testing.Poll;

/**
 * The messaging layer wired by hand against the real RabbitMQ of the test machine, with every
 * exchange and queue name under a unique prefix so tests do not see each other's (or the
 * runner's) messages, and everything deleted afterwards. Also an inspection channel of its own.
 */
final class RealBroker implements AutoCloseable {

    static final String URL = System.getProperty(
            "it.rabbitmq.url", System.getenv().getOrDefault("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672"));

    final String prefix = "test-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    final MessagingSettings settings;
    final ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(2);
    final ExecutorService workers = Executors.newFixedThreadPool(8);
    final Broker broker;
    final Topology topology;
    final ConfirmedPublisher publisher;
    final Deliveries deliveries;
    private final Connection inspection;
    final Channel channel;
    private final List<String> extraQueues = new ArrayList<>();
    private final List<String> extraExchanges = new ArrayList<>();

    RealBroker() throws Exception {
        this(MessagingSettings.defaults());
    }

    RealBroker(MessagingSettings settings) throws Exception {
        this.settings = settings;
        broker = new Broker(Broker.connectionFactory(URL, Duration.ofMillis(500)), scheduler, Duration.ofMillis(500));
        topology = new Topology(broker, prefix);
        publisher = new ConfirmedPublisher(broker, settings.confirmTimeout(), settings.publisherChannels());
        deliveries = new Deliveries(broker, topology, publisher, workers, scheduler, settings);
        broker.start();
        topology.declareAll();
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(URL);
        inspection = factory.newConnection("messaging-test-inspection");
        channel = inspection.createChannel();
    }

    /** A fresh durable queue under the prefix, deleted at close. */
    String queue(String name) throws Exception {
        String queue = prefix + name;
        channel.queueDeclare(queue, true, false, false, null);
        extraQueues.add(queue);
        return queue;
    }

    /** A fresh exchange under the prefix, deleted at close. */
    String exchange(String name, String type) throws Exception {
        String exchange = prefix + name;
        channel.exchangeDeclare(exchange, type, true);
        extraExchanges.add(exchange);
        return exchange;
    }

    void forgetQueue(String queue) {
        extraQueues.add(queue);
    }

    /** The next message in {@code queue}, waiting up to five seconds; acked. */
    GetResponse next(String queue) {
        return Poll.until(
                Duration.ofSeconds(5), () -> get(queue), response -> response != null, "a message in " + queue);
    }

    GetResponse get(String queue) {
        try {
            return channel.basicGet(queue, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String queue) throws Exception {
        return channel.messageCount(queue);
    }

    @Override
    public void close() throws Exception {
        broker.close();
        List<String> queues = new ArrayList<>(extraQueues);
        queues.addAll(List.of(
                topology.nodeAdvertisementsQueue(),
                topology.completedPipelineStepsQueue(),
                topology.failedPipelinesQueue(),
                topology.deadLetterQueue()));
        List<String> exchanges = new ArrayList<>(extraExchanges);
        exchanges.addAll(List.of(
                topology.nodeAdvertisementsExchange(),
                topology.runPipelineExchange(),
                topology.completedPipelineStepsExchange(),
                topology.failedPipelinesExchange(),
                topology.deadLetterExchange()));
        Channel cleanup = inspection.createChannel();
        for (String queue : queues) {
            cleanup.queueDelete(queue);
        }
        for (String exchange : exchanges) {
            cleanup.exchangeDelete(exchange);
        }
        inspection.close();
        workers.shutdownNow();
        scheduler.shutdownNow();
    }
}
