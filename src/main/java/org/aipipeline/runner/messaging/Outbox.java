package org.aipipeline.runner.messaging;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * The transactional outbox: a message is written in the same transaction as the state it
 * announces, published after the commit, and its row deleted once the broker confirmed it.
 *
 * <p>Invariant: a row exists until its message was confirmed (or found unroutable). Rows are
 * leased, not locked, while being published: {@link #claimDue} moves {@code next_attempt_at} into
 * the future in a short transaction that skips rows another instance holds ({@code FOR UPDATE
 * SKIP LOCKED}, PostgreSQL and H2 2.2 alike), so several runner instances never send the same row
 * at the same time, and no database lock is held while waiting for the broker. A crash mid-publish
 * leaves the row to be republished when the lease ends: delivery is at least once, and every
 * consumer of the protocol tolerates duplicates (the message id stays the same).
 *
 * <p>Plain JDBC with batches, because a batch of 10,000 pipelines writes 10,000 rows in one go.
 */
@Stateless
public class Outbox {

    private static final String INSERT = "insert into outbox (message_id, exchange_name, routing_key, message_type, body, "
            + "pipeline_id, created_at, next_attempt_at, attempts) values (?, ?, ?, ?, ?, ?, ?, ?, 0)";
    private static final String DUE = "select id, message_id, exchange_name, routing_key, message_type, body, pipeline_id, "
            + "attempts from outbox where next_attempt_at <= ? order by next_attempt_at, id limit ? for update skip locked";
    private static final String LEASE = "update outbox set next_attempt_at = ?, attempts = attempts + 1 where id = ?";
    private static final String DELETE = "delete from outbox where id = any (?)";
    private static final int BATCH = 500;
    private static final Duration MAX_LEASE = Duration.ofMinutes(5);

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /**
     * Records messages in the caller's transaction; they become due for the relay after
     * {@code relayAfter} (the dispatcher publishes them itself long before).
     *
     * @return the row ids, in the order of {@code messages}
     */
    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public List<Long> add(List<OutboxMessage> messages, Instant now, Duration relayAfter) {
        List<Long> ids = new ArrayList<>(messages.size());
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            OffsetDateTime created = at(now);
            OffsetDateTime due = at(now.plus(relayAfter));
            int pending = 0;
            for (OutboxMessage outbox : messages) {
                OutgoingMessage message = outbox.message();
                insert.setObject(1, UUID.fromString(message.messageId()));
                insert.setString(2, message.exchange());
                insert.setString(3, message.routingKey());
                insert.setString(4, message.type().name());
                insert.setString(5, new String(message.body(), StandardCharsets.UTF_8));
                insert.setObject(6, outbox.pipelineId());
                insert.setObject(7, created);
                insert.setObject(8, due);
                insert.addBatch();
                if (++pending == BATCH) {
                    flush(insert, ids);
                    pending = 0;
                }
            }
            if (pending > 0) {
                flush(insert, ids);
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot record outgoing messages: " + e.getMessage());
        }
        return ids;
    }

    private static void flush(PreparedStatement insert, List<Long> ids) throws SQLException {
        insert.executeBatch();
        try (ResultSet keys = insert.getGeneratedKeys()) {
            while (keys.next()) {
                ids.add(keys.getLong(1));
            }
        }
    }

    /**
     * Takes up to {@code limit} due rows and leases them: they are not due again until the lease
     * (growing with the attempts, at most five minutes) ends. Its own short transaction.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public List<OutboxEntry> claimDue(Instant now, int limit, Duration lease) {
        List<OutboxEntry> due = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement select = connection.prepareStatement(DUE)) {
                select.setObject(1, at(now));
                select.setInt(2, limit);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        OutgoingMessage message = new OutgoingMessage(rows.getString(3), rows.getString(4),
                                MessageType.valueOf(rows.getString(5)), rows.getString(6).getBytes(StandardCharsets.UTF_8),
                                rows.getObject(2).toString());
                        Object pipelineId = rows.getObject(7);
                        due.add(new OutboxEntry(rows.getLong(1), message,
                                pipelineId == null ? null : UUID.fromString(pipelineId.toString())));
                        attempts.add(rows.getInt(8));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement(LEASE)) {
                for (int i = 0; i < due.size(); i++) {
                    Duration backoff = lease.multipliedBy(1L << Math.min(attempts.get(i), 8));
                    update.setObject(1, at(now.plus(backoff.compareTo(MAX_LEASE) > 0 ? MAX_LEASE : backoff)));
                    update.setLong(2, due.get(i).id());
                    update.addBatch();
                }
                if (!due.isEmpty()) {
                    update.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the outbox: " + e.getMessage());
        }
        return due;
    }

    /** Deletes rows whose messages the broker confirmed. Idempotent. */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void delete(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = connection.prepareStatement(DELETE)) {
            Array array = connection.createArrayOf("BIGINT", ids.toArray());
            delete.setArray(1, array);
            delete.executeUpdate();
        } catch (SQLException e) {
            // The row stays; the relay republishes it later (a duplicate consumers tolerate).
            throw new RunnerException.Unavailable("Cannot delete sent outbox rows: " + e.getMessage());
        }
    }

    private static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
