package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rabbitmq.client.GetResponse;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.ScratchSchema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay against the real PostgreSQL and RabbitMQ: rows the in-process publisher never sent
 * (a crash between commit and publish) are published once due, and their rows deleted once
 * confirmed; nothing is sent before the rows are due.
 */
class OutboxRelayTest {

    static final Duration RELAY_AFTER = Duration.ofSeconds(30);

    ScratchSchema scratch;
    RealBroker rabbit;
    Outbox outbox;
    OutboxPublisher publisher;
    OutboxRelay relay;
    String queue;
    String exchange;

    @BeforeEach
    void wire() throws Exception {
        scratch = ScratchSchema.migrated("outbox_relay_test");
        rabbit = new RealBroker();
        exchange = rabbit.exchange("relayed", "direct");
        queue = rabbit.queue("relayed");
        rabbit.channel.queueBind(queue, exchange, "to-the-queue");
        outbox = new Outbox(scratch.dataSource());
        publisher = new OutboxPublisher();
        publisher.broker = rabbit.broker;
        publisher.outbox = outbox;
        publisher.threads = new PlainThreads();
        publisher.start();
        relay = new OutboxRelay();
        relay.outbox = outbox;
        relay.publisher = publisher;
        relay.broker = rabbit.broker;
        relay.minAge = Duration.ofSeconds(1);
    }

    @AfterEach
    void close() throws Exception {
        rabbit.close();
        scratch.close();
    }

    /** Rows committed with their state whose in-process publish never happened. */
    private List<OutboxEntry> committedButNeverSent(String... bodies) throws SQLException {
        List<OutboxMessage> messages = java.util.Arrays.stream(bodies)
                .map(body -> new OutboxMessage(
                        new OutgoingMessage(
                                exchange,
                                "to-the-queue",
                                MessageType.RUN_PIPELINE_STEP,
                                body.getBytes(StandardCharsets.UTF_8),
                                UUID.randomUUID().toString()),
                        null))
                .toList();
        // Due at once: written as if RELAY_AFTER ago.
        return LocalTransaction.run(
                scratch.dataSource(),
                c -> outbox.add(c, messages, DatabaseTime.now().minus(RELAY_AFTER), RELAY_AFTER));
    }

    private int rows() throws SQLException {
        try (Connection c = scratch.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet count = s.executeQuery("select count(*) from outbox")) {
            count.next();
            return count.getInt(1);
        }
    }

    @Test
    void dueRowsArePublishedAndTheirRowsDeletedOnceConfirmed() throws Exception {
        List<OutboxEntry> rows = committedButNeverSent("{\"n\":1}", "{\"n\":2}");

        relay.runRound();

        GetResponse first = rabbit.next(queue);
        GetResponse second = rabbit.next(queue);
        assertEquals(
                List.of(rows.get(0).message().messageId(), rows.get(1).message().messageId()),
                List.of(first.getProps().getMessageId(), second.getProps().getMessageId()));
        assertEquals("{\"n\":1}", new String(first.getBody(), StandardCharsets.UTF_8));
        Poll.until(Duration.ofSeconds(5), this::rowsUnchecked, count -> count == 0, "the confirmed rows deleted");
    }

    @Test
    void rowsNotYetDueStayForTheInProcessPublisher() throws Exception {
        LocalTransaction.run(
                scratch.dataSource(),
                c -> outbox.add(
                        c,
                        List.of(new OutboxMessage(
                                new OutgoingMessage(
                                        exchange,
                                        "to-the-queue",
                                        MessageType.RUN_PIPELINE_STEP,
                                        "{}".getBytes(StandardCharsets.UTF_8),
                                        UUID.randomUUID().toString()),
                                null)),
                        DatabaseTime.now(),
                        RELAY_AFTER));

        assertEquals(0, relay.relayDue());
        assertEquals(1, rows());
        assertEquals(0, rabbit.count(queue));
    }

    @Test
    void aLeasedRowIsNotRelayedTwiceWhileItsLeaseRuns() throws Exception {
        committedButNeverSent("{}");
        assertEquals(1, relay.relayDue());
        assertEquals(0, relay.relayDue(), "the lease (min-age) keeps it off the next round");
    }

    private int rowsUnchecked() {
        try {
            return rows();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The container's thread factory, as plain threads. */
    private static final class PlainThreads implements ManagedThreadFactory {
        @Override
        public Thread newThread(Runnable task) {
            return new Thread(task);
        }

        @Override
        public ForkJoinWorkerThread newThread(ForkJoinPool pool) {
            throw new UnsupportedOperationException();
        }
    }
}
