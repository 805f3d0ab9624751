package org.aipipeline.runner.bench;

import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A million finished one-step runs in one batch of the bench user, written as the runner itself
 * writes a batch: the batch row, one result and one step result per run, and the batch's eight
 * progress slots (V5) with the totals in slot 0. Pages read against it cost what they would cost
 * on real data.
 */
final class ResultsSeed {

    static final int ROWS = 1_000_000;
    // The runner creates slots 0..SLOTS-1 per batch and adds a finishing run to one of them.
    private static final int SLOTS = 8;

    private ResultsSeed() {}

    /** Writes the seed in one transaction and returns the batch id. */
    static UUID write(String url, String user, String password, UUID userId, String nodeId) throws SQLException {
        UUID batchId = UUID.randomUUID();
        long failed = ROWS / 10;
        try (var connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            execute(
                    connection,
                    "insert into pipeline_batches (id, user_id, total_pipeline_count, created_at, finished_at) "
                            + "values (?, ?, " + ROWS + ", now(), now())",
                    batchId,
                    userId);
            execute(
                    connection,
                    "insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, initial_input, "
                            + "step_count, created_at, updated_at, finished_at) select gen_random_uuid(), gen_random_uuid(), ?, ?, "
                            + "case when g % 10 = 0 then 'Failed' else 'Succeeded' end, '{\"type\":\"ApString\",\"value\":\"seed\"}', "
                            + "1, now() - g * interval '1 millisecond', now(), now() from generate_series(1, " + ROWS
                            + ") g",
                    userId,
                    batchId);
            execute(
                    connection,
                    "insert into step_results (pipeline_id, step_order, id, node_id, node_procedure_id, "
                            + "finished_at, was_successful, result, failure_code, failure_reason) select pipeline_id, 1, "
                            + "gen_random_uuid(), ?, '" + NoOpNode.PROCEDURE + "', finished_at, status = 'Succeeded', "
                            + "case when status = 'Succeeded' then initial_input end, case when status = 'Failed' then 500 end, "
                            + "case when status = 'Failed' then 'seeded failure' end from pipeline_results where batch_id = ?",
                    nodeId,
                    batchId);
            execute(
                    connection,
                    "insert into pipeline_batch_counts (batch_id, slot, succeeded, failed) "
                            + "select ?, s, case when s = 0 then " + (ROWS - failed) + " else 0 end, "
                            + "case when s = 0 then " + failed + " else 0 end from generate_series(0, " + (SLOTS - 1)
                            + ") s",
                    batchId);
            connection.commit();
            try (Statement sql = connection.createStatement()) {
                connection.setAutoCommit(true);
                sql.execute("analyze pipeline_results");
                sql.execute("analyze step_results");
                sql.execute("analyze pipeline_batch_counts");
            }
        }
        return batchId;
    }

    private static void execute(java.sql.Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }
}
