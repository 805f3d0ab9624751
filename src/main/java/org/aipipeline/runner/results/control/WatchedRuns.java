package org.aipipeline.runner.results.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * What the live event streams poll: one query for all watched runs that moved (every recorded
 * step, retry, finish and cancellation sets {@code updated_at}), one for all watched batches'
 * counters. Read-only; plain JDBC so that H2 and PostgreSQL both take the id array.
 */
@ApplicationScoped
public class WatchedRuns {

    private static final String UPDATED_SINCE =
            "select pipeline_id, updated_at from pipeline_results " + "where pipeline_id = any (?) and updated_at > ?";
    private static final String BATCHES = "select b.id, b.user_id, b.total_pipeline_count, b.finished_at, "
            + "(select coalesce(sum(c.succeeded), 0) from pipeline_batch_counts c where c.batch_id = b.id), "
            + "(select coalesce(sum(c.failed), 0) from pipeline_batch_counts c where c.batch_id = b.id) "
            + "from pipeline_batches b where b.id = any (?)";

    /** A batch's owner, counts and finish time (null while running). */
    public record BatchProgress(UUID userId, BatchCounts counts, Instant finishedAt) {}

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** For CDI. */
    protected WatchedRuns() {}

    /** For plain use and tests. */
    public WatchedRuns(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The {@code updated_at} of those of the runs updated after {@code since}. */
    public Map<UUID, Instant> updatedSince(Collection<UUID> pipelineIds, Instant since) {
        Map<UUID, Instant> updated = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(UPDATED_SINCE)) {
            select.setArray(1, connection.createArrayOf("UUID", pipelineIds.toArray()));
            select.setObject(2, DatabaseTime.at(since));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    updated.put(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, OffsetDateTime.class).toInstant());
                }
            }
            return updated;
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read which watched runs changed: " + e.getMessage());
        }
    }

    /** The batches among {@code batchIds} that exist, by id. */
    public Map<UUID, BatchProgress> batches(Collection<UUID> batchIds) {
        Map<UUID, BatchProgress> found = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(BATCHES)) {
            select.setArray(1, connection.createArrayOf("UUID", batchIds.toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    OffsetDateTime finishedAt = rs.getObject(4, OffsetDateTime.class);
                    found.put(
                            rs.getObject(1, UUID.class),
                            new BatchProgress(
                                    rs.getObject(2, UUID.class),
                                    new BatchCounts(rs.getInt(3), rs.getLong(5), rs.getLong(6)),
                                    finishedAt == null ? null : finishedAt.toInstant()));
                }
            }
            return found;
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the watched batches: " + e.getMessage());
        }
    }
}
