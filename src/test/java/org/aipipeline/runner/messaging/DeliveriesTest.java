package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.testing.Poll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DeliveriesTest {

    /** Fast retries so the bounded-retry tests take well under a second. */
    static final MessagingSettings FAST = new MessagingSettings(
            Optional.empty(), Duration.ofSeconds(5), 4, 10, 3, Duration.ofMillis(50), Duration.ofMillis(500));

    RealBroker rabbit;
    String queue;

    @BeforeEach
    void connect() throws Exception {
        rabbit = new RealBroker(FAST);
        queue = rabbit.queue("work");
    }

    @AfterEach
    void cleanUp() throws Exception {
        rabbit.close();
    }

    private void send(String body) throws Exception {
        rabbit.publisher.forward(
                "",
                queue,
                ConfirmedPublisher.envelope(OutgoingMessage.of(
                        "", queue, MessageType.NODE_ADVERTISED, body.getBytes(StandardCharsets.UTF_8))),
                body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void handledMessageIsAckedOnceTheHandlerReturns() throws Exception {
        List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        rabbit.deliveries.consume(queue, message -> {
            threads.add(Thread.currentThread().getName());
            handled.add(message);
        });

        send("{\"nodeId\":\"a\"}");
        send("{\"nodeId\":\"b\"}");

        Poll.until(Duration.ofSeconds(5), handled::size, size -> size == 2, "two handled messages");
        assertEquals(1, handled.get(0).attempt());
        assertEquals(
                MessageType.NODE_ADVERTISED.dotnetName(),
                String.valueOf(handled.get(0).properties().getHeaders().get("message-type")));
        assertEquals(queue, handled.get(0).queue());
        assertTrue(
                threads.stream().noneMatch(name -> name.startsWith("AMQP")),
                "handlers run on the worker pool: " + threads);
        assertAllAcked();
        assertEquals(0, rabbit.count(queue));
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()));
    }

    @Test
    void rejectedMessageGoesToTheDeadLetterQueueWithTheReason() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        rabbit.deliveries.consume(queue, message -> {
            calls.incrementAndGet();
            throw new RejectMessage("unparseable advert: unexpected end of input");
        });

        send("{\"nodeId\":");

        GetResponse dead = rabbit.next(rabbit.topology.deadLetterQueue());
        Map<String, Object> headers = dead.getProps().getHeaders();
        assertEquals(
                "unparseable advert: unexpected end of input",
                headers.get("x-runner-rejection-reason").toString());
        assertEquals(queue, headers.get("x-runner-original-queue").toString());
        assertEquals(queue, headers.get("x-runner-original-routing-key").toString());
        assertEquals(
                MessageType.NODE_ADVERTISED.dotnetName(),
                headers.get("message-type").toString());
        assertEquals("{\"nodeId\":", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertEquals(1, calls.get(), "a rejected message is not retried");
        assertAllAcked();
    }

    @Test
    void clientErrorKindsAreDeadLetteredWhenWrappedLikeAnEjbWouldWrapThem() throws Exception {
        rabbit.deliveries.consume(queue, message -> {
            throw new IllegalStateException("EJB wrapper", new RunnerException.NotFound("pipeline 42 does not exist"));
        });

        send("{}");

        GetResponse dead = rabbit.next(rabbit.topology.deadLetterQueue());
        assertEquals(
                "NotFound: pipeline 42 does not exist",
                dead.getProps().getHeaders().get("x-runner-rejection-reason").toString());
    }

    @Test
    void transientFailureIsRetriedAndThenSucceeds() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        rabbit.deliveries.consume(queue, message -> {
            attempts.add(message.attempt());
            if (message.attempt() < 2) {
                throw new IllegalStateException("lock timeout");
            }
        });

        send("{}");

        Poll.until(
                Duration.ofSeconds(5),
                () -> List.copyOf(attempts),
                seen -> seen.equals(List.of(1, 2)),
                "attempts 1 and 2");
        assertAllAcked();
        assertEquals(0, rabbit.count(queue));
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()));
    }

    @Test
    void alwaysFailingMessageIsDeadLetteredAfterMaxAttempts() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        rabbit.deliveries.consume(queue, message -> {
            attempts.add(message.attempt());
            throw new java.sql.SQLTimeoutException("canceling statement due to lock timeout");
        });

        send("{\"pipelineId\":\"p\"}");

        GetResponse dead = rabbit.next(rabbit.topology.deadLetterQueue());
        assertEquals(List.of(1, 2, 3), attempts);
        assertEquals(
                "gave up after 3 attempts: SQLTimeoutException: canceling statement due to lock timeout",
                dead.getProps().getHeaders().get("x-runner-rejection-reason").toString());
        assertEquals("{\"pipelineId\":\"p\"}", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertAllAcked();
        assertEquals(0, rabbit.count(queue));
    }

    @Test
    void prefetchBoundsTheDeliveriesInFlight() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        rabbit.deliveries.consume(queue, 2, message -> {
            started.incrementAndGet();
            release.await(10, TimeUnit.SECONDS);
        });

        for (int i = 0; i < 6; i++) {
            send("{}");
        }

        Poll.until(Duration.ofSeconds(5), started::get, count -> count == 2, "two handlers started");
        Thread.sleep(200); // the broker would have delivered more by now if prefetch allowed it
        assertEquals(2, started.get());
        release.countDown();
        Poll.until(Duration.ofSeconds(5), started::get, count -> count == 6, "all six handled");
    }

    @Test
    void closingASubscriptionStopsConsumingAndLeavesTheRestQueued() throws Exception {
        List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
        Deliveries.Subscription subscription = rabbit.deliveries.consume(queue, handled::add);
        send("{}");
        Poll.until(Duration.ofSeconds(5), handled::size, size -> size == 1, "first message handled");

        subscription.close();
        send("{}");

        Thread.sleep(200);
        assertEquals(1, handled.size());
        assertEquals(1, rabbit.count(queue));
    }

    @Test
    void consumerRegisteredBeforeTheBrokerConnectsStartsOnceItDoes() throws Exception {
        Broker late = new Broker(
                Broker.connectionFactory(RealBroker.URL, Duration.ofMillis(200)),
                rabbit.scheduler,
                Duration.ofMillis(200));
        try {
            Topology topology = new Topology(late, rabbit.prefix);
            ConfirmedPublisher publisher = new ConfirmedPublisher(late, Duration.ofSeconds(5), 2);
            Deliveries deliveries = new Deliveries(late, topology, publisher, rabbit.workers, rabbit.scheduler, FAST);
            List<IncomingMessage> handled = new CopyOnWriteArrayList<>();
            deliveries.consume(queue, handled::add);
            send("{}");
            assertFalse(late.isConnected());
            assertTrue(handled.isEmpty());

            late.start();

            Poll.until(Duration.ofSeconds(5), handled::size, size -> size == 1, "message handled after connecting");
            assertTrue(topology.isDeclared());
        } finally {
            late.close();
        }
    }

    /**
     * Unacked messages return to the queue when their channel closes: stopping the consumers and
     * finding the queue empty proves that every delivery was acked.
     */
    @Test
    void batchesAreHandledTogetherAndAllAcknowledged() throws Exception {
        for (int i = 0; i < 300; i++) {
            send("{\"n\":" + i + "}");
        }
        List<Integer> batchSizes = new CopyOnWriteArrayList<>();
        AtomicInteger handled = new AtomicInteger();
        // Already waiting in the queue: the consumer drains them in batches.
        rabbit.deliveries.consumeInBatches(queue, messages -> {
            batchSizes.add(messages.size());
            handled.addAndGet(messages.size());
            return Map.of();
        });

        Poll.until(Duration.ofSeconds(10), handled::get, count -> count == 300, "300 handled messages");
        assertTrue(batchSizes.stream().anyMatch(size -> size > 1), "several deliveries per batch: " + batchSizes);
        assertAllAcked();
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()));
    }

    @Test
    void aBatchRejectsSomeMessagesByIndexAndAcknowledgesTheRest() throws Exception {
        AtomicInteger handled = new AtomicInteger();
        rabbit.deliveries.consumeInBatches(queue, messages -> {
            Map<Integer, RuntimeException> rejected = new java.util.HashMap<>();
            for (int i = 0; i < messages.size(); i++) {
                handled.incrementAndGet();
                if (messages.get(i).bodyText().contains("bad")) {
                    rejected.put(i, new RunnerException.NotFound("No pipeline with id 42"));
                }
            }
            return rejected;
        });

        send("{\"ok\":1}");
        send("{\"bad\":1}");
        send("{\"ok\":2}");

        GetResponse dead = rabbit.next(rabbit.topology.deadLetterQueue());
        assertEquals("{\"bad\":1}", new String(dead.getBody(), StandardCharsets.UTF_8));
        assertEquals(
                "NotFound: No pipeline with id 42",
                dead.getProps().getHeaders().get("x-runner-rejection-reason").toString());
        Poll.until(Duration.ofSeconds(5), handled::get, count -> count >= 3, "three handled messages");
        assertAllAcked();
    }

    @Test
    void aFailedBatchFallsBackToOneByOneWithRetries() throws Exception {
        List<String> singles = new CopyOnWriteArrayList<>();
        rabbit.deliveries.consumeInBatches(queue, messages -> {
            if (messages.size() > 1 || messages.get(0).attempt() < 2) {
                throw new IllegalStateException("the database refused the batch");
            }
            singles.add(messages.get(0).bodyText());
            return Map.of();
        });

        send("{\"n\":1}");
        send("{\"n\":2}");

        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(singles), seen -> seen.size() == 2, "both retried alone");
        assertAllAcked();
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()));
    }

    @Test
    void anOutageIsWaitedOutWithoutCountingAttemptsOrDeadLettering() throws Exception {
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        rabbit.deliveries.consume(queue, message -> {
            attempts.add(message.attempt());
            if (attempts.size() <= 5) { // more failures than FAST's three attempts
                throw new RunnerException.Unavailable("Cannot record step reports: Connection refused");
            }
        });

        send("{}");

        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(attempts), seen -> seen.size() == 6, "six calls");
        assertEquals(List.of(1, 1, 1, 1, 1, 1), attempts, "an outage is not the message's attempt");
        assertAllAcked();
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()));
    }

    @Test
    void aBatchThatMeetsAnOutageReturnsWholeUntilItPasses() throws Exception {
        AtomicInteger outageCalls = new AtomicInteger();
        List<String> recorded = new CopyOnWriteArrayList<>();
        send("{\"n\":1}");
        send("{\"n\":2}");
        rabbit.deliveries.consumeInBatches(queue, messages -> {
            if (outageCalls.incrementAndGet() <= 5) {
                throw new RunnerException.Unavailable("Cannot record step reports: Connection refused");
            }
            messages.forEach(message -> recorded.add(message.bodyText()));
            return Map.of();
        });

        Poll.until(Duration.ofSeconds(10), () -> List.copyOf(recorded), seen -> seen.size() == 2, "both recorded");
        assertTrue(recorded.containsAll(List.of("{\"n\":1}", "{\"n\":2}")), recorded.toString());
        assertAllAcked();
        assertEquals(0, rabbit.count(rabbit.topology.deadLetterQueue()), "nothing dead-lettered for an outage");
    }

    private void assertAllAcked() throws Exception {
        rabbit.deliveries.stop();
        Thread.sleep(100);
        assertEquals(0, rabbit.count(queue), "unacked messages returned to " + queue);
    }
}
