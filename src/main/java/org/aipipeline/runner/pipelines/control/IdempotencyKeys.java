package org.aipipeline.runner.pipelines.control;

import static org.aipipeline.runner.platform.control.DatabaseTime.at;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.Periodic;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.control.UserDeleted;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The {@code idempotency_keys} table: what a keyed submission answered, to answer a repeat the same.
 *
 * <p>Exactly one run per (user, key), held by the primary key, not by a check first: the row is
 * inserted by {@link PipelineDispatcher} in the transaction that records the run, so of two
 * concurrent submissions one commits and the other's transaction fails as a whole ({@link Taken}),
 * recording and sending nothing; it then replays the winner's row. The look-up before planning is
 * only the fast path for the common repeat. Keys live {@code pipelines.idempotency.retention}: an
 * older row is never replayed, is replaced by a new use of its key, and is deleted by a sweep every
 * {@code pipelines.idempotency.sweep-interval}.
 */
@ApplicationScoped
public class IdempotencyKeys implements Periodic {

    private static final System.Logger LOG = System.getLogger(IdempotencyKeys.class.getName());

    private static final String FIND =
            "select endpoint, fingerprint, status_code, response_body, pipeline_id, batch_id "
                    + "from idempotency_keys where user_id = ? and idempotency_key = ? and created_at >= ?";
    private static final String DELETE_EXPIRED_KEY =
            "delete from idempotency_keys where user_id = ? and idempotency_key = ? " + "and created_at < ?";
    private static final String INSERT =
            "insert into idempotency_keys (user_id, idempotency_key, endpoint, fingerprint, "
                    + "status_code, response_body, pipeline_id, batch_id, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String SWEEP = "delete from idempotency_keys where created_at < ?";
    private static final String DELETE_USERS_KEYS = "delete from idempotency_keys where user_id = ?";

    /** The original answer: its status and body, and the run or batch it started. */
    public record Original(int statusCode, String body, UUID pipelineId, UUID batchId) {}

    /**
     * Another submission with the same key committed first; this one recorded and sent nothing.
     * Not a {@link RunnerException}: the boundary answers it by replaying, never as an error.
     */
    public static final class Taken extends RuntimeException {
        public Taken(IdempotentRequest request) {
            super("Idempotency-Key '" + request.key() + "' was taken by a concurrent submission", null, false, false);
        }
    }

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "pipelines.idempotency.retention", defaultValue = "P1D")
    Duration retention;

    @Inject
    @ConfigProperty(name = "pipelines.idempotency.sweep-interval", defaultValue = "PT10M")
    Duration sweepInterval;

    @Override
    public Duration interval() {
        return sweepInterval;
    }

    @Override
    public void runRound() {
        sweep();
    }

    /**
     * The original answer to this key, if it is still kept.
     *
     * @throws RunnerException.Invalid the key was used with another body or on another endpoint
     */
    public Optional<Original> original(IdempotentRequest request) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find = connection.prepareStatement(FIND)) {
            find.setObject(1, request.userId());
            find.setString(2, request.key());
            find.setObject(3, at(DatabaseTime.now().minus(retention)));
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                String endpoint = rs.getString(1);
                if (!endpoint.equals(request.endpoint())) {
                    throw reused(request, "was used for POST " + endpoint + ", not POST " + request.endpoint());
                }
                if (!rs.getString(2).equals(request.fingerprint())) {
                    throw reused(request, "was used with a different request body");
                }
                return Optional.of(new Original(
                        rs.getInt(3), rs.getString(4), rs.getObject(5, UUID.class), rs.getObject(6, UUID.class)));
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the Idempotency-Key: " + e.getMessage());
        }
    }

    private RunnerException.Invalid reused(IdempotentRequest request, String how) {
        return new RunnerException.Invalid(
                "Idempotency-Key '" + request.key() + "' " + how + " within the last " + retention
                        + "; send a new key for a new submission, or repeat the original request unchanged",
                List.of());
    }

    /** Inserts the key's row in the caller's transaction (replacing an expired one); a concurrent twin makes it fail. */
    void claim(Connection connection, IdempotentRequest request, Original answer, Instant now) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(DELETE_EXPIRED_KEY)) {
            delete.setObject(1, request.userId());
            delete.setString(2, request.key());
            delete.setObject(3, at(now.minus(retention)));
            delete.executeUpdate();
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
            insert.setObject(1, request.userId());
            insert.setString(2, request.key());
            insert.setString(3, request.endpoint());
            insert.setString(4, request.fingerprint());
            insert.setInt(5, answer.statusCode());
            insert.setString(6, answer.body());
            insert.setObject(7, answer.pipelineId());
            insert.setObject(8, answer.batchId());
            insert.setObject(9, at(now));
            insert.executeUpdate();
        }
    }

    /** A unique violation (SQLSTATE 23505 on PostgreSQL and H2): the key's row exists. */
    static boolean isTaken(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            if ("23505".equals(current.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the keys past retention; answers how many. */
    int sweep() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(SWEEP)) {
            delete.setObject(1, at(DatabaseTime.now().minus(retention)));
            int deleted = delete.executeUpdate();
            if (deleted > 0) {
                LOG.log(Level.INFO, "Deleted {0} idempotency keys older than {1}", deleted, retention);
            }
            return deleted;
        } catch (SQLException | RuntimeException e) {
            LOG.log(
                    Level.WARNING,
                    "Idempotency key sweep failed; trying again in {0}: {1}",
                    sweepInterval,
                    e.getMessage());
            return 0;
        }
    }

    /** A deleted user's keys go with the user, in the deletion's transaction (as their results do). */
    void deleteKeysOf(@Observes UserDeleted deleted) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(DELETE_USERS_KEYS)) {
            delete.setObject(1, deleted.userId());
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot delete the user's idempotency keys: " + e.getMessage());
        }
    }
}
