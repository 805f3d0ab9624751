package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.aipipeline.runner.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Start-up without a broker and recovery after the connection is cut, through a {@link TcpProxy}. */
class BrokerTest {

    RealBroker rabbit;
    TcpProxy proxy;
    Broker broker;

    @BeforeEach
    void setUp() throws Exception {
        rabbit = new RealBroker(DeliveriesTest.FAST);
        int port = TcpProxy.freePort();
        proxy = new TcpProxy(port, "127.0.0.1", 5672);
        // Through the proxy, to the same virtual host as the fixture that publishes (it.rabbitmq.url may name one).
        String vhost = java.net.URI.create(RealBroker.URL).getRawPath();
        broker = new Broker(
                Broker.connectionFactory("amqp://guest:guest@127.0.0.1:" + port + vhost, Duration.ofMillis(300)),
                rabbit.scheduler,
                Duration.ofMillis(300));
    }

    @AfterEach
    void tearDown() throws Exception {
        broker.close();
        proxy.close();
        rabbit.close();
    }

    @Test
    void brokerDownAtStartUpIsRetriedInTheBackgroundUntilItAppears() throws Exception {
        Topology topology = new Topology(broker, rabbit.prefix);
        topology.declareWhenConnected();
        AtomicInteger listenerRuns = new AtomicInteger();
        broker.onConnected(connection -> listenerRuns.incrementAndGet());

        broker.start();

        assertFalse(broker.isConnected());
        assertNotNull(broker.lastError());
        assertFalse(topology.isDeclared());
        assertEquals(0, listenerRuns.get());

        proxy.start();

        Poll.until(Duration.ofSeconds(10), broker::isConnected, connected -> connected, "the broker to connect");
        Poll.until(Duration.ofSeconds(5), topology::isDeclared, declared -> declared, "the topology to be declared");
        assertEquals(1, listenerRuns.get());
        broker.onConnected(connection -> listenerRuns.incrementAndGet());
        assertEquals(2, listenerRuns.get(), "a listener registered when connected runs at once");
    }

    @Test
    void consumerAndPublisherCarryOnAfterTheConnectionIsCut() throws Exception {
        proxy.start();
        Topology topology = new Topology(broker, rabbit.prefix);
        topology.declareWhenConnected();
        ConfirmedPublisher publisher = new ConfirmedPublisher(broker, Duration.ofSeconds(5), 2);
        Deliveries deliveries =
                new Deliveries(broker, topology, publisher, rabbit.workers, rabbit.scheduler, DeliveriesTest.FAST);
        Set<String> handled = ConcurrentHashMap.newKeySet();
        deliveries.consume(topology.nodeAdvertisementsQueue(), message -> handled.add(message.bodyText()));
        AtomicInteger recoveries = new AtomicInteger();
        broker.onRecovered(recoveries::incrementAndGet);
        broker.start();
        // The queue is declared on connect, in the background: an advert published before it exists is dropped
        // by the fanout (seen on a loaded machine).
        Poll.until(Duration.ofSeconds(10), topology::isDeclared, declared -> declared, "the topology to be declared");
        String exchange = topology.nodeAdvertisementsExchange();
        rabbit.publisher.publish(exchange, "", MessageType.NODE_ADVERTISED, bytes("before"));
        Poll.until(Duration.ofSeconds(10), () -> Set.copyOf(handled), seen -> seen.contains("before"), "first advert");

        proxy.dropConnections();
        // Published straight to RabbitMQ while the runner is cut off: waits in the queue.
        rabbit.publisher.publish(exchange, "", MessageType.NODE_ADVERTISED, bytes("during"));

        Poll.until(Duration.ofSeconds(15), recoveries::get, count -> count >= 1, "connection recovery");
        Poll.until(
                Duration.ofSeconds(10),
                () -> Set.copyOf(handled),
                seen -> seen.contains("during"),
                "the advert sent during the outage");
        publisher.publish(exchange, "", MessageType.NODE_ADVERTISED, bytes("after"));
        Poll.until(
                Duration.ofSeconds(5),
                () -> Set.copyOf(handled),
                seen -> seen.containsAll(List.of("before", "during", "after")),
                "every advert");
        assertTrue(broker.isConnected());
        assertTrue(topology.isDeclared());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
