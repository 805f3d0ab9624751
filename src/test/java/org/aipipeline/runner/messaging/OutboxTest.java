package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.testing.ScratchSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The outbox's rows on PostgreSQL: written with the caller's transaction, leased by the relay, deleted once sent. */
class OutboxTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration RELAY_AFTER = Duration.ofSeconds(10);
    static final Duration LEASE = Duration.ofSeconds(3);

    static ScratchSchema scratch;
    Outbox outbox;

    @BeforeAll
    static void migrate() {
        scratch = ScratchSchema.migrated("outbox_test");
    }

    @AfterAll
    static void drop() {
        scratch.close();
    }

    @BeforeEach
    void empty() throws SQLException {
        outbox = new Outbox(scratch.dataSource());
        LocalTransaction.run(scratch.dataSource(), c -> {
            try (var delete = c.prepareStatement("delete from outbox")) {
                return delete.executeUpdate();
            }
        });
    }

    static OutboxMessage message(String body, String correlationKey) {
        return new OutboxMessage(
                new OutgoingMessage(
                        "an-exchange",
                        "a-key",
                        MessageType.RUN_PIPELINE_STEP,
                        body.getBytes(StandardCharsets.UTF_8),
                        UUID.randomUUID().toString()),
                correlationKey);
    }

    List<OutboxEntry> add(OutboxMessage... messages) throws SQLException {
        return LocalTransaction.run(scratch.dataSource(), c -> outbox.add(c, List.of(messages), T0, RELAY_AFTER));
    }

    @Test
    void aRowIsDueForTheRelayOnlyAfterRelayAfterAndComesBackAsWritten() throws SQLException {
        List<OutboxEntry> added = add(message("{\"a\":1}", "run-1"), message("{\"b\":2}", null));
        assertEquals(2, added.size());

        assertEquals(List.of(), outbox.claimDue(T0.plus(RELAY_AFTER).minusMillis(1), 10, LEASE));
        List<OutboxEntry> due = outbox.claimDue(T0.plus(RELAY_AFTER), 10, LEASE);

        assertEquals(
                added.stream().map(OutboxEntry::id).toList(),
                due.stream().map(OutboxEntry::id).toList());
        OutgoingMessage first = due.get(0).message();
        assertEquals(added.get(0).message().messageId(), first.messageId());
        assertEquals("an-exchange", first.exchange());
        assertEquals("a-key", first.routingKey());
        assertEquals(MessageType.RUN_PIPELINE_STEP, first.type());
        assertArrayEquals("{\"a\":1}".getBytes(StandardCharsets.UTF_8), first.body());
        assertEquals("run-1", due.get(0).correlationKey());
        assertEquals(null, due.get(1).correlationKey());
    }

    @Test
    void aClaimedRowIsLeasedAndItsLeaseDoublesWithEachAttempt() throws SQLException {
        add(message("{}", null));
        Instant first = T0.plus(RELAY_AFTER);
        assertEquals(1, outbox.claimDue(first, 10, LEASE).size());
        assertEquals(0, outbox.claimDue(first, 10, LEASE).size(), "leased, not due again at once");

        Instant second = first.plus(LEASE);
        assertEquals(1, outbox.claimDue(second, 10, LEASE).size(), "due again when the first lease ends");
        Instant third = second.plus(LEASE.multipliedBy(2));
        assertEquals(0, outbox.claimDue(third.minusMillis(1), 10, LEASE).size(), "the second lease is twice as long");
        assertEquals(1, outbox.claimDue(third, 10, LEASE).size());
    }

    @Test
    void aClaimTakesAtMostTheLimitOldestFirst() throws SQLException {
        List<OutboxEntry> added = add(message("{}", "1"), message("{}", "2"), message("{}", "3"));
        List<OutboxEntry> due = outbox.claimDue(T0.plus(RELAY_AFTER), 2, LEASE);
        assertEquals(
                added.subList(0, 2).stream().map(OutboxEntry::id).toList(),
                due.stream().map(OutboxEntry::id).toList());
        assertEquals(
                List.of(added.get(2).id()),
                outbox.claimDue(T0.plus(RELAY_AFTER), 2, LEASE).stream()
                        .map(OutboxEntry::id)
                        .toList());
    }

    @Test
    void deletingSentRowsLeavesTheOthersAndCanBeRepeated() throws SQLException {
        List<OutboxEntry> added = add(message("{}", "1"), message("{}", "2"), message("{}", "3"));
        List<Long> sent = List.of(added.get(0).id(), added.get(2).id());
        outbox.delete(sent);
        outbox.delete(sent);
        outbox.delete(List.of());

        List<OutboxEntry> left = outbox.claimDue(T0.plus(RELAY_AFTER), 10, LEASE);
        assertEquals(
                List.of(added.get(1).id()), left.stream().map(OutboxEntry::id).toList());
    }

    @Test
    void rowsWrittenInARolledBackTransactionAreNotThere() throws SQLException {
        assertThrows(
                SQLException.class,
                () -> LocalTransaction.run(scratch.dataSource(), c -> {
                    outbox.add(c, List.of(message("{}", null)), T0, RELAY_AFTER);
                    throw new SQLException("the state the message announces failed to commit");
                }));
        assertEquals(List.of(), outbox.claimDue(T0.plus(RELAY_AFTER), 10, LEASE));
    }
}
