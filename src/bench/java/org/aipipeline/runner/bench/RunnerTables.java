package org.aipipeline.runner.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * What the driver reads straight from the runner's database: when runs finished. Polled every
 * {@value #POLL_MILLIS} ms on one connection with index-friendly queries, so that watching the
 * runner does not load the database it shares with it.
 */
final class RunnerTables implements AutoCloseable {

    /** Runs of one scenario: how many finished and when the last one did. */
    record Finished(long count, Instant last, boolean all) {}

    private static final long POLL_MILLIS = 250;

    private final Connection connection;
    private final PreparedStatement firstRunning;
    private final PreparedStatement finishedSince;
    private final PreparedStatement batchFinishedAt;

    RunnerTables(String url, String user, String password) throws SQLException {
        connection = DriverManager.getConnection(url, user, password);
        // Walks the (user_id, created_at) index from a watermark and stops at the first run still
        // going: each poll visits only what finished since the previous one.
        firstRunning = connection.prepareStatement("select created_at from pipeline_results where user_id = ? "
                + "and created_at >= ? and batch_id is null and status = 'Running' order by created_at limit 1");
        finishedSince = connection.prepareStatement("select count(*), max(finished_at) from pipeline_results "
                + "where user_id = ? and created_at >= ? and batch_id is null and status <> 'Running'");
        batchFinishedAt = connection.prepareStatement("select finished_at from pipeline_batches where id = ?");
    }

    /** Waits until every single (non-batch) run the user started since {@code since} has finished. */
    Finished awaitRuns(UUID userId, Instant since, Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        OffsetDateTime watermark = since.atOffset(ZoneOffset.UTC);
        boolean all = false;
        while (System.nanoTime() < deadline) {
            firstRunning.setObject(1, userId);
            firstRunning.setObject(2, watermark);
            try (ResultSet rs = firstRunning.executeQuery()) {
                if (!rs.next()) {
                    all = true;
                    break;
                }
                watermark = rs.getObject(1, OffsetDateTime.class);
            }
            Thread.sleep(POLL_MILLIS);
        }
        finishedSince.setObject(1, userId);
        finishedSince.setObject(2, since.atOffset(ZoneOffset.UTC));
        try (ResultSet rs = finishedSince.executeQuery()) {
            rs.next();
            OffsetDateTime last = rs.getObject(2, OffsetDateTime.class);
            return new Finished(rs.getLong(1), last == null ? null : last.toInstant(), all);
        }
    }

    /** When the batch finished, or null if it did not within {@code patience}. */
    Instant awaitBatch(UUID batchId, Duration patience) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            batchFinishedAt.setObject(1, batchId);
            try (ResultSet rs = batchFinishedAt.executeQuery()) {
                OffsetDateTime finishedAt = rs.next() ? rs.getObject(1, OffsetDateTime.class) : null;
                if (finishedAt != null) {
                    return finishedAt.toInstant();
                }
            }
            Thread.sleep(POLL_MILLIS);
        }
        return null;
    }

    /** Rows inserted, updated or deleted in the node catalog so far (statistics lag about a second). */
    long nodeTableWrites() throws SQLException {
        return single("select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables "
                + "where relname in ('nodes', 'node_procedures')");
    }

    String serverVersion() throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery("show server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private long single(String query) throws SQLException {
        try (Statement sql = connection.createStatement();
                ResultSet rs = sql.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
