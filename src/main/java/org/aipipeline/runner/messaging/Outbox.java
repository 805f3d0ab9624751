package org.aipipeline.runner.messaging;

import static org.aipipeline.runner.platform.control.DatabaseTime.at;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * The transactional outbox: a message is written in the same transaction as the state it
 * announces, published after the commit ({@link OutboxPublisher}), and its row deleted once the
 * broker confirmed it.
 *
 * <p>Invariant: a row exists until its message was confirmed (or found unroutable). Rows the
 * publisher was handed in-process are due for the relay only after {@code relayAfter}; rows the
 * relay takes are leased, not locked: {@link #claimDue} moves {@code next_attempt_at} into the
 * future in a short transaction that skips rows another instance holds ({@code FOR UPDATE SKIP
 * LOCKED}, PostgreSQL and H2 2.2 alike), so several runner instances rarely send the same row,
 * and no database lock is held while waiting for the broker. Delivery is at least once; every
 * consumer of the protocol tolerates duplicates (the message id stays the same).
 *
 * <p>Plain JDBC with batches: the writer's transaction is its caller's connection, so the run and
 * its message commit together without a container transaction around them.
 */
@ApplicationScoped
public class Outbox {

    private static final String INSERT =
            "insert into outbox (message_id, exchange_name, routing_key, message_type, body, "
                    + "correlation_key, created_at, next_attempt_at, attempts) values (?, ?, ?, ?, ?, ?, ?, ?, 0)";
    private static final String DUE =
            "select id, message_id, exchange_name, routing_key, message_type, body, correlation_key, "
                    + "attempts from outbox where next_attempt_at <= ? order by next_attempt_at, id limit ? for update skip locked";
    private static final String LEASE = "update outbox set next_attempt_at = ?, attempts = attempts + 1 where id = ?";
    private static final String DELETE = "delete from outbox where id = any (?)";
    private static final int BATCH = 500;
    private static final Duration MAX_LEASE = Duration.ofMinutes(5);

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** For CDI. */
    protected Outbox() {}

    /** For plain use and tests. */
    public Outbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Records messages on the caller's connection, inside its transaction; they become due for the
     * relay after {@code relayAfter} (the publisher has normally sent them long before).
     *
     * @return the entries, in the order of {@code messages}, to hand to the publisher after the commit
     */
    public List<OutboxEntry> add(Connection connection, List<OutboxMessage> messages, Instant now, Duration relayAfter)
            throws SQLException {
        List<OutboxEntry> entries = new ArrayList<>(messages.size());
        try (PreparedStatement insert = connection.prepareStatement(INSERT, new String[] {"id"})) {
            OffsetDateTime created = at(now);
            OffsetDateTime due = at(now.plus(relayAfter));
            int from = 0;
            for (int i = 0; i < messages.size(); i++) {
                OutboxMessage outbox = messages.get(i);
                OutgoingMessage message = outbox.message();
                insert.setObject(1, UUID.fromString(message.messageId()));
                insert.setString(2, message.exchange());
                insert.setString(3, message.routingKey());
                insert.setString(4, message.type().name());
                insert.setString(5, new String(message.body(), StandardCharsets.UTF_8));
                insert.setString(6, outbox.correlationKey());
                insert.setObject(7, created);
                insert.setObject(8, due);
                insert.addBatch();
                if (i + 1 - from == BATCH || i + 1 == messages.size()) {
                    insert.executeBatch();
                    try (ResultSet keys = insert.getGeneratedKeys()) {
                        for (int k = from; k <= i && keys.next(); k++) {
                            entries.add(new OutboxEntry(
                                    keys.getLong(1),
                                    messages.get(k).message(),
                                    messages.get(k).correlationKey()));
                        }
                    }
                    from = i + 1;
                }
            }
        }
        return entries;
    }

    /**
     * Takes up to {@code limit} due rows and leases them: they are not due again until the lease
     * (growing with the attempts, at most five minutes) ends. Its own short transaction.
     */
    public List<OutboxEntry> claimDue(Instant now, int limit, Duration lease) {
        try {
            return LocalTransaction.run(dataSource, connection -> claim(connection, now, limit, lease));
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the outbox: " + e.getMessage());
        }
    }

    private static List<OutboxEntry> claim(Connection connection, Instant now, int limit, Duration lease)
            throws SQLException {
        List<OutboxEntry> due = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(DUE)) {
            select.setObject(1, at(now));
            select.setInt(2, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    OutgoingMessage message = new OutgoingMessage(
                            rows.getString(3),
                            rows.getString(4),
                            MessageType.valueOf(rows.getString(5)),
                            rows.getString(6).getBytes(StandardCharsets.UTF_8),
                            rows.getObject(2).toString());
                    due.add(new OutboxEntry(rows.getLong(1), message, rows.getString(7)));
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
        return due;
    }

    /** Deletes rows whose messages the broker confirmed, in one statement. Idempotent. */
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
            // The rows stay; the relay republishes them later (duplicates consumers tolerate).
            throw new RunnerException.Unavailable("Cannot delete sent outbox rows: " + e.getMessage());
        }
    }
}
