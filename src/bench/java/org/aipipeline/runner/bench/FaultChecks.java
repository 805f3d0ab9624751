package org.aipipeline.runner.bench;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * After a fault: waits until the user's runs stop moving, then judges them from the database
 * (the runner's own tables) and from the API. Every pipeline the runner accepted must exist, be
 * finished exactly once with every step recorded, and the API must say the same as the tables.
 */
final class FaultChecks {

    /** What one fault left behind. */
    record Verdict(
            int pipelines,
            int finished,
            int failed,
            int unexpectedStatus,
            int lost,
            int duplicated,
            int stuck,
            int wrongSteps,
            int apiMismatches,
            int unknownToClient,
            int outboxLeft,
            List<String> notes) {

        boolean clean() {
            return lost == 0
                    && duplicated == 0
                    && stuck == 0
                    && unexpectedStatus == 0
                    && wrongSteps == 0
                    && apiMismatches == 0;
        }
    }

    private record Row(String status, int stepCount, UUID batchId) {}

    private static final Duration NO_PROGRESS = Duration.ofSeconds(30);

    private final FaultSettings settings;

    FaultChecks(FaultSettings settings) {
        this.settings = settings;
    }

    /**
     * Waits until none of {@code userId}'s runs is Running, or none finished for 30 s, or
     * {@code settings.drain()} passed. The database may still be coming back: connection
     * failures are retried.
     */
    void drain(UUID userId) throws InterruptedException {
        long deadline = System.nanoTime() + settings.drain().toNanos();
        long lastRunning = Long.MAX_VALUE;
        long lastProgress = System.nanoTime();
        while (System.nanoTime() < deadline) {
            try (Connection db = connect();
                    PreparedStatement query = db.prepareStatement(
                            "select count(*) from pipeline_results where user_id = ? and status = 'Running'")) {
                query.setObject(1, userId);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    long running = rs.getLong(1);
                    if (running == 0) {
                        return;
                    }
                    if (running < lastRunning) {
                        lastRunning = running;
                        lastProgress = System.nanoTime();
                    } else if (System.nanoTime() - lastProgress > NO_PROGRESS.toNanos()) {
                        System.out.printf(
                                "  %d runs still Running and none finished for %d s: judging now%n",
                                running, NO_PROGRESS.toSeconds());
                        return;
                    }
                }
            } catch (SQLException e) {
                // the database is still coming back
            }
            Thread.sleep(500);
        }
    }

    /**
     * Judges the user's runs: {@code known} are the ids the clients learned (202/200/408 answers),
     * {@code expectedFailed} those that must end Failed (a node that never answers), every other
     * one must succeed; {@code batchId} (nullable) a batch whose runs count too.
     */
    Verdict judge(
            UUID userId,
            UUID batchId,
            Collection<UUID> known,
            Set<UUID> expectedFailed,
            FinishedAnnouncements announcements,
            RunnerApi api)
            throws Exception {
        List<String> notes = new ArrayList<>();
        Map<UUID, Row> rows = new HashMap<>();
        Map<UUID, int[]> steps = new HashMap<>();
        int batchTotal = 0;
        long counted = 0;
        int outbox;
        try (Connection db = connect()) {
            try (PreparedStatement q = db.prepareStatement(
                    "select pipeline_id, status, step_count, batch_id from pipeline_results where user_id = ?")) {
                q.setObject(1, userId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        rows.put(
                                rs.getObject(1, UUID.class),
                                new Row(rs.getString(2), rs.getInt(3), rs.getObject(4, UUID.class)));
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("select s.pipeline_id, count(*), "
                    + "count(*) filter (where s.was_successful) from step_results s join pipeline_results r "
                    + "on r.pipeline_id = s.pipeline_id where r.user_id = ? group by s.pipeline_id")) {
                q.setObject(1, userId);
                try (ResultSet rs = q.executeQuery()) {
                    while (rs.next()) {
                        steps.put(rs.getObject(1, UUID.class), new int[] {rs.getInt(2), rs.getInt(3)});
                    }
                }
            }
            if (batchId != null) {
                try (PreparedStatement q = db.prepareStatement("select b.total_pipeline_count, "
                        + "(select coalesce(sum(c.succeeded + c.failed), 0) from pipeline_batch_counts c where c.batch_id = b.id) "
                        + "from pipeline_batches b where b.id = ?")) {
                    q.setObject(1, batchId);
                    try (ResultSet rs = q.executeQuery()) {
                        if (rs.next()) {
                            batchTotal = rs.getInt(1);
                            counted = rs.getLong(2);
                        }
                    }
                }
            }
            try (PreparedStatement q = db.prepareStatement("select count(*) from outbox");
                    ResultSet rs = q.executeQuery()) {
                rs.next();
                outbox = rs.getInt(1);
            }
        }

        Set<UUID> considered = new HashSet<>(known);
        int lost = 0;
        for (UUID id : known) {
            if (!rows.containsKey(id)) {
                lost++;
            }
        }
        int batchRows = 0;
        int batchFinished = 0;
        int unknownToClient = 0;
        for (Map.Entry<UUID, Row> e : rows.entrySet()) {
            boolean inBatch = batchId != null && batchId.equals(e.getValue().batchId());
            if (inBatch) {
                batchRows++;
                batchFinished += "Running".equals(e.getValue().status()) ? 0 : 1;
            } else if (!known.contains(e.getKey())) {
                unknownToClient++; // accepted, but the answer never reached the client
            }
            considered.add(e.getKey());
        }
        lost += Math.max(0, batchTotal - batchRows);

        int finished = 0;
        int failed = 0;
        int unexpected = 0;
        int stuck = 0;
        int wrongSteps = 0;
        int duplicated = 0;
        for (UUID id : considered) {
            Row row = rows.get(id);
            if (row == null) {
                continue;
            }
            if ("Running".equals(row.status())) {
                stuck++;
                continue;
            }
            finished++;
            boolean isFailed = "Failed".equals(row.status());
            failed += isFailed ? 1 : 0;
            if (isFailed != expectedFailed.contains(id)) {
                unexpected++;
            }
            int[] recorded = steps.getOrDefault(id, new int[2]);
            if (recorded[0] != row.stepCount() || (!isFailed && recorded[1] != row.stepCount())) {
                wrongSteps++;
            }
            if (announcements.count(id.toString()) > 1) {
                duplicated++;
            }
        }
        if (batchId != null && counted != batchFinished) {
            notes.add("batch counters say " + counted + " finished, its rows " + batchFinished);
            duplicated += (int) Math.max(0, counted - batchFinished);
        }
        int apiMismatches = apiMismatches(api, batchId, batchTotal, batchFinished, known, rows, notes);
        int pipelines = considered.size() + Math.max(0, batchTotal - batchRows);
        return new Verdict(
                pipelines,
                finished,
                failed,
                unexpected,
                lost,
                duplicated,
                stuck,
                wrongSteps,
                apiMismatches,
                unknownToClient,
                outbox,
                notes);
    }

    /** The API must tell what the tables hold: the batch's counts, each known run's status and steps. */
    private static int apiMismatches(
            RunnerApi api,
            UUID batchId,
            int batchTotal,
            int batchFinished,
            Collection<UUID> known,
            Map<UUID, Row> rows,
            List<String> notes)
            throws Exception {
        int mismatches = 0;
        if (batchId != null) {
            HttpResponse<String> response = api.send(api.get("PipelineResults/Batch/" + batchId + "?pageSize=1"));
            if (response.statusCode() != 200) {
                notes.add("GET /PipelineResults/Batch answered " + response.statusCode());
                mismatches++;
            } else {
                JsonObject batch = RunnerApi.json(response.body()).getJsonObject("batch");
                int total = batch.getInt("totalPipelineCount");
                int done = batch.getInt("successfullyCompletedPipelineCount") + batch.getInt("failedPipelineCount");
                boolean finishedAt = !batch.isNull("finishedAt");
                if (total != batchTotal || done != batchFinished || finishedAt != (batchFinished == batchTotal)) {
                    notes.add(String.format(
                            "API batch: total %d, finished %d, finishedAt %s; tables: total %d, finished %d",
                            total, done, finishedAt ? "set" : "null", batchTotal, batchFinished));
                    mismatches++;
                }
            }
        }
        for (UUID id : known) {
            Row row = rows.get(id);
            HttpResponse<String> response = api.send(api.get("PipelineResults/" + id));
            if (row == null) {
                mismatches += response.statusCode() == 404 ? 0 : 1;
                continue;
            }
            if (response.statusCode() != 200) {
                mismatches++;
                continue;
            }
            JsonObject result = RunnerApi.json(response.body()).getJsonObject("result");
            boolean same = result.getString("status").equals(row.status())
                    && ("Running".equals(row.status())
                            || result.getJsonArray("stepResults").size() == row.stepCount());
            mismatches += same ? 0 : 1;
        }
        return mismatches;
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(settings.dbUrl(), settings.dbUser(), settings.dbPassword());
    }
}
