package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.testing.ScratchSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The recording rules of {@link RunRecords} on PostgreSQL, the production database: once per step,
 * finished exactly once (also when the last two steps of a run are recorded concurrently), the
 * finish time of the last step, rejections by index, batches finished by their counters. Uses a
 * throw-away schema of the integration-test database; skipped when PostgreSQL is not running.
 */
class RunRecordsPostgresTest {

    /** The database under test; the H2 variant replaces it. */
    DataSource db() {
        return scratch.dataSource();
    }

    static ScratchSchema scratch;

    RunRecords records;
    UUID userId;
    final Instant t0 = Instant.parse("2026-11-30T10:00:00Z");
    /** Step n waits n × this many seconds. */
    static final int STEP_TIMEOUT = 10;

    @BeforeAll
    static void migrate() {
        scratch = ScratchSchema.migrated("runrecords_test");
    }

    @AfterAll
    static void drop() {
        if (scratch != null) {
            scratch.close();
        }
    }

    @BeforeEach
    void user() throws SQLException {
        records = new RunRecords(db());
        userId = ScratchSchema.newUser(db());
    }

    private List<UUID> start(UUID batchId, int stepCount, int runs) throws SQLException {
        return start(batchId, stepCount, runs, null);
    }

    /** Runs whose every step is retried under {@code retry} (null: never). */
    private List<UUID> start(UUID batchId, int stepCount, int runs, RetryPolicy retry) throws SQLException {
        List<RunRecords.NewRun> newRuns = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            newRuns.add(new RunRecords.NewRun(UUID.randomUUID(), "{\"type\":\"ApString\",\"value\":\"x\"}"));
        }
        List<StepPlan.Step> steps = new ArrayList<>();
        for (int order = 1; order <= stepCount; order++) {
            steps.add(
                    new StepPlan.Step(STEP_TIMEOUT * order, "node", "proc" + order, order == 1 ? "text" : null, retry));
        }
        LocalTransaction.run(db(), c -> {
            records.recordRuns(c, userId, batchId, new StepPlan(steps), newRuns, t0);
            return null;
        });
        return newRuns.stream().map(RunRecords.NewRun::pipelineId).toList();
    }

    private static RunReport completed(UUID pipelineId, int order, Instant at) {
        return RunReport.completed(
                pipelineId,
                StepRecord.succeeded(
                        order, "node", "proc" + order, null, at, "{\"type\":\"ApInt\",\"value\":" + order + "}"));
    }

    private static RunReport failed(UUID pipelineId, int order, Instant at, int... notRun) {
        List<StepRecord> rest = new ArrayList<>();
        for (int o : notRun) {
            rest.add(StepRecord.notRun(o, "node", "proc" + o, null, 500, "not run"));
        }
        return RunReport.failed(
                pipelineId, StepRecord.failed(order, "node", "proc" + order, null, at, 500, "boom"), rest, at);
    }

    private String status(UUID pipelineId) throws SQLException {
        return single("select status from pipeline_results where pipeline_id = '" + pipelineId + "'");
    }

    private String single(String sql) throws SQLException {
        try (Connection c = db().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    /** Every row as "a:b", rows separated by a space. */
    private String rows(String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = db().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.add(rs.getObject(1) + ":" + rs.getObject(2));
            }
        }
        return String.join(" ", rows);
    }

    private Instant instant(String sql) throws SQLException {
        try (Connection c = db().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            OffsetDateTime at = rs.getObject(1, OffsetDateTime.class);
            return at == null ? null : at.toInstant();
        }
    }

    private Instant finishedAt(UUID pipelineId) throws SQLException {
        return instant("select finished_at from pipeline_results where pipeline_id = '" + pipelineId + "'");
    }

    @Test
    void aDuplicatedCompletionIsStoredOnceFinishesTheRunOnceAndIsRefusedAsNoLongerOpen() throws SQLException {
        UUID run = start(null, 1, 1).get(0);
        RunRecords.Recorded first = records.recordReports(
                List.of(completed(run, 1, t0.plusSeconds(1)), completed(run, 1, t0.plusSeconds(2))));
        RunRecords.Recorded again = records.recordReports(List.of(completed(run, 1, t0.plusSeconds(3))));

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Succeeded)), first.finished());
        assertEquals(Set.of(1), first.rejected().keySet());
        assertInstanceOf(RunnerException.Conflict.class, first.rejected().get(1));
        assertEquals(List.of(), again.finished());
        assertEquals(
                "Step 1 of pipeline " + run + " is no longer open: it is already recorded (a duplicate or late report, "
                        + "or a step after the one that failed the run), so this report is not recorded",
                again.rejected().get(0).getMessage());
        assertEquals("1", single("select count(*) from step_results where pipeline_id = '" + run + "'"));
        assertEquals(t0.plusSeconds(1), finishedAt(run));
    }

    @Test
    void outOfOrderStepsFinishTheRunAtTheLastStepsTime() throws SQLException {
        UUID run = start(null, 3, 1).get(0);
        assertEquals(
                List.of(),
                records.recordReports(List.of(completed(run, 3, t0.plusSeconds(30))))
                        .finished());
        assertEquals(
                List.of(),
                records.recordReports(List.of(completed(run, 1, t0.plusSeconds(10))))
                        .finished());
        assertEquals("Running", status(run));
        RunRecords.Recorded last = records.recordReports(List.of(completed(run, 2, t0.plusSeconds(20))));

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Succeeded)), last.finished());
        assertEquals(t0.plusSeconds(30), finishedAt(run));
    }

    @Test
    void aFailureFailsTheRunStoresNotRunStepsAndRefusesReportsForThem() throws SQLException {
        UUID run = start(null, 4, 1).get(0);
        records.recordReports(List.of(completed(run, 1, t0.plusSeconds(1))));
        // remaining steps 1 (not after the failed one) and 9 (beyond the run) are ignored
        RunRecords.Recorded failure = records.recordReports(List.of(failed(run, 2, t0.plusSeconds(2), 1, 3, 4, 9)));
        RunRecords.Recorded late =
                records.recordReports(List.of(completed(run, 3, t0.plusSeconds(3)), failed(run, 4, t0.plusSeconds(4))));

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Failed)), failure.finished());
        assertEquals(List.of(), late.finished());
        assertEquals(Set.of(0, 1), late.rejected().keySet());
        assertInstanceOf(RunnerException.Conflict.class, late.rejected().get(0));
        assertEquals("Failed", status(run));
        assertEquals(t0.plusSeconds(2), finishedAt(run));
        assertEquals(
                "1:true 2:false 3:false 4:false",
                rows("select step_order, was_successful from step_results " + "where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals(
                "not run",
                single("select failure_reason from step_results where pipeline_id = '" + run + "' and step_order = 3"));
    }

    @Test
    void aCompletionArrivingAfterALaterStepFailedTheRunFillsItsGap() throws SQLException {
        UUID run = start(null, 3, 1).get(0);
        // step 1's node forwarded step 2 and reported; step 2 failed and its report came first
        records.recordReports(List.of(failed(run, 2, t0.plusSeconds(2))));
        RunRecords.Recorded late = records.recordReports(List.of(completed(run, 1, t0.plusSeconds(1))));

        assertEquals(Map.of(), late.rejected());
        assertEquals("Failed", status(run));
        assertEquals(
                "1:true 2:false 3:false",
                rows("select step_order, was_successful from step_results " + "where pipeline_id = '" + run
                        + "' order by step_order"));
    }

    @Test
    void aFailureThatListsNoRemainingStepsStillMarksEveryLaterStepNotRunAsDispatched() throws SQLException {
        UUID run = start(null, 3, 1).get(0);
        records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1))));

        assertEquals(
                "2:proc2 3:proc3",
                rows("select step_order, node_procedure_id from step_results where pipeline_id = '" + run
                        + "' and not was_successful and finished_at is null order by step_order"));
        assertEquals(
                "Not run: step 1 failed",
                single("select failure_reason from step_results where pipeline_id = '" + run + "' and step_order = 3"));
    }

    @Test
    void aReportNamingAnotherNodeOrProcedureThanWasDispatchedIsRefusedAndStoresNothing() throws SQLException {
        UUID run = start(null, 2, 1).get(0);
        RunReport otherProcedure = RunReport.completed(run, StepRecord.succeeded(1, "node", "proc2", null, t0, "{}"));
        RunReport otherNode =
                RunReport.failed(run, StepRecord.failed(1, "intruder", "proc1", null, t0, 500, "x"), List.of(), t0);
        RunRecords.Recorded recorded = records.recordReports(List.of(otherProcedure, otherNode));

        assertEquals(Set.of(0, 1), recorded.rejected().keySet());
        assertEquals(
                "procedureIdentifier: step 1 of pipeline " + run
                        + " was dispatched to procedure 'proc1' on node 'node', "
                        + "not to procedure 'proc1' on node 'intruder'",
                recorded.rejected().get(1).getMessage());
        assertInstanceOf(RunnerException.Invalid.class, recorded.rejected().get(0));
        assertEquals("Running", status(run));
        assertEquals("0", single("select count(*) from step_results where pipeline_id = '" + run + "'"));
    }

    @Test
    void unknownPipelinesAndStepsOutsideTheRunAreRejectedByIndexWhileTheRestIsStored() throws SQLException {
        UUID run = start(null, 2, 1).get(0);
        RunRecords.Recorded recorded = records.recordReports(
                List.of(completed(UUID.randomUUID(), 1, t0), completed(run, 3, t0), completed(run, 1, t0)));

        assertEquals(Set.of(0, 1), recorded.rejected().keySet());
        assertInstanceOf(RunnerException.NotFound.class, recorded.rejected().get(0));
        assertInstanceOf(RunnerException.Invalid.class, recorded.rejected().get(1));
        assertEquals("1", single("select count(*) from step_results where pipeline_id = '" + run + "'"));
    }

    @Test
    void theLastTwoStepsRecordedConcurrentlyFinishEveryRunExactlyOnce() throws Exception {
        List<UUID> runs = start(null, 2, 300);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<List<RunRecords.Finished>>> work = new ArrayList<>();
            for (int order = 1; order <= 2; order++) {
                int step = order;
                work.add(() -> {
                    List<RunRecords.Finished> finished = new ArrayList<>();
                    for (int from = 0; from < runs.size(); from += 20) {
                        List<RunReport> reports = new ArrayList<>();
                        for (UUID run : runs.subList(from, from + 20)) {
                            reports.add(completed(run, step, t0.plusSeconds(step)));
                        }
                        finished.addAll(records.recordReports(reports).finished());
                    }
                    return finished;
                });
            }
            List<RunRecords.Finished> all = new ArrayList<>();
            for (Future<List<RunRecords.Finished>> done : pool.invokeAll(work)) {
                all.addAll(done.get());
            }
            Set<UUID> finishedIds = new HashSet<>();
            all.forEach(run -> finishedIds.add(run.pipelineId()));
            assertEquals(runs.size(), all.size(), "each run reported finished once");
            assertEquals(new HashSet<>(runs), finishedIds);
            assertEquals(
                    "0",
                    single("select count(*) from pipeline_results where user_id = '" + userId
                            + "' and status <> 'Succeeded'"));
        } finally {
            pool.shutdownNow();
        }
    }

    private RunRecords.Cancellation cancel(UUID id, boolean inBatch, UUID owner, Instant at) throws SQLException {
        RunRecords.Cancellation cancellation =
                LocalTransaction.run(db(), c -> records.cancelRuns(c, owner, id, inBatch, "cancelled by someone", at));
        records.finishBatches(cancellation.batches());
        return cancellation;
    }

    @Test
    void aCancelledRunKeepsItsStepsAndMarksTheRestNotRunAndLateReportsAreAckedUnrecorded() throws SQLException {
        UUID run = start(null, 3, 1).get(0);
        records.recordReports(List.of(completed(run, 1, t0.plusSeconds(1))));
        assertEquals(
                List.of(),
                cancel(run, false, UUID.randomUUID(), t0.plusSeconds(2)).cancelled(),
                "not the owner");

        RunRecords.Cancellation cancelled = cancel(run, false, userId, t0.plusSeconds(2));
        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Cancelled)), cancelled.cancelled());
        assertEquals("Cancelled", status(run));
        assertEquals(t0.plusSeconds(2), finishedAt(run));
        assertEquals(
                "1:null 2:cancelled by someone 3:cancelled by someone",
                rows("select step_order, failure_reason " + "from step_results where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals(List.of(), cancel(run, false, userId, t0.plusSeconds(3)).cancelled(), "only once");

        long before = records.reportsOfCancelledRuns();
        RunRecords.Recorded late =
                records.recordReports(List.of(completed(run, 2, t0.plusSeconds(4)), failed(run, 3, t0.plusSeconds(4))));
        assertEquals(Map.of(), late.rejected(), "acknowledged, not refused");
        assertEquals(List.of(), late.finished());
        assertEquals(before + 2, records.reportsOfCancelledRuns());
        assertEquals("Cancelled", status(run));
        assertEquals(
                "cancelled by someone",
                single("select failure_reason from step_results where pipeline_id = '" + run + "' and step_order = 2"));
    }

    @Test
    void cancellingABatchCancelsItsRunningRunsCountsThemAndFinishesIt() throws SQLException {
        UUID batchId = UUID.randomUUID();
        List<UUID> runs = start(batchId, 1, 3);
        records.recordReports(List.of(completed(runs.get(0), 1, t0.plusSeconds(1))));
        RunRecords.Cancellation cancelled = cancel(batchId, true, userId, t0.plusSeconds(5));
        assertEquals(2, cancelled.cancelled().size());
        assertEquals(Set.of(batchId), cancelled.batches());
        assertEquals("Succeeded", status(runs.get(0)));
        assertEquals("Cancelled", status(runs.get(2)));
        assertEquals(
                "1:2",
                rows("select sum(succeeded), sum(failed) from pipeline_batch_counts where batch_id = '" + batchId
                        + "'"));
        assertEquals(
                t0.plusSeconds(5), instant("select finished_at from pipeline_batches where id = '" + batchId + "'"));
    }

    @Test
    void aBatchFinishesWithItsLastRunAndCountsByStatus() throws SQLException {
        UUID batchId = UUID.randomUUID();
        List<UUID> runs = start(batchId, 1, 3);
        records.recordReports(
                List.of(completed(runs.get(0), 1, t0.plusSeconds(1)), failed(runs.get(1), 1, t0.plusSeconds(5))));
        assertNull(single("select finished_at from pipeline_batches where id = '" + batchId + "'"));
        records.recordReports(
                List.of(completed(runs.get(2), 1, t0.plusSeconds(3)), completed(runs.get(2), 1, t0.plusSeconds(4))));

        assertEquals(
                "2:1",
                rows("select sum(succeeded), sum(failed) from pipeline_batch_counts where batch_id = '" + batchId
                        + "'"));
        assertEquals(
                t0.plusSeconds(5),
                instant("select finished_at from pipeline_batches where id = '" + batchId + "'"),
                "the batch finished at its last run's finish time");
        assertEquals(
                String.valueOf(RunRecords.BATCH_SLOTS),
                single("select count(*) from pipeline_batch_counts where batch_id = '" + batchId + "'"));
    }

    @Test
    void aRunWhoseStepMissesItsDeadlineFailsWith504NamingNodeProcedureAndWait() throws SQLException {
        UUID run = start(null, 3, 1).get(0);
        assertEquals(
                List.of(),
                records.failExpired(t0.plusSeconds(STEP_TIMEOUT - 1), 100).finished(),
                "not yet due");

        RunRecords.Recorded expired = records.failExpired(t0.plusSeconds(STEP_TIMEOUT + 1), 100);

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Failed)), expired.finished());
        assertEquals("Failed", status(run));
        assertEquals(
                "1:504 2:504 3:504",
                rows("select step_order, failure_code from step_results where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals(
                "Step 1 (procedure 'proc1' on node 'node') did not report within its deadline of 10 s (passed at "
                        + t0.plusSeconds(STEP_TIMEOUT) + ")",
                single("select failure_reason from step_results where pipeline_id = '" + run + "' and step_order = 1"));
        assertEquals(
                "text",
                single("select output_value_selector from step_results where pipeline_id = '" + run
                        + "' and step_order = 1"));
        assertEquals(List.of(), records.failExpired(t0.plusSeconds(3600), 100).finished(), "failed once");
    }

    @Test
    void aRecordedStepMovesTheDeadlineToTheNextStepWithItsOwnWait() throws SQLException {
        UUID run = start(null, 2, 1).get(0);
        Instant stepOneDone = t0.plusSeconds(5);
        records.recordReports(List.of(completed(run, 1, stepOneDone)));

        // Step 2 waits 2 × STEP_TIMEOUT from when step 1 was recorded (database time, about now).
        Instant deadline = instant("select step_deadline_at from pipeline_results where pipeline_id = '" + run + "'");
        assertEquals("2", single("select deadline_step from pipeline_results where pipeline_id = '" + run + "'"));
        assertEquals(
                List.of(), records.failExpired(deadline.minusSeconds(1), 100).finished());
        RunRecords.Recorded expired = records.failExpired(deadline.plusSeconds(1), 100);
        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Failed)), expired.finished());
        assertEquals(
                "1:true 2:false",
                rows("select step_order, was_successful from step_results where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals(
                true,
                single("select failure_reason from step_results where pipeline_id = '" + run + "' and step_order = 2")
                        .contains("procedure 'proc2' on node 'node') did not report within its deadline of 20 s"));
    }

    @Test
    void aReportArrivingAfterTheDeadlineIsRefusedWithTheReason() throws SQLException {
        UUID run = start(null, 2, 1).get(0);
        records.failExpired(t0.plusSeconds(STEP_TIMEOUT + 1), 100);

        RunRecords.Recorded late = records.recordReports(
                List.of(completed(run, 1, t0.plusSeconds(30)), completed(run, 2, t0.plusSeconds(31))));

        assertEquals(Set.of(0, 1), late.rejected().keySet());
        assertInstanceOf(RunnerException.Conflict.class, late.rejected().get(0));
        assertEquals(
                "Late report: step 1 of pipeline " + run
                        + " had already failed at its deadline, so step 1 is not recorded",
                late.rejected().get(0).getMessage());
        assertEquals(
                "1:false 2:false",
                rows("select step_order, was_successful from step_results where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals("Failed", status(run));
    }

    @Test
    void concurrentSweepsFailEachOverdueRunExactlyOnceAndFinishTheBatch() throws Exception {
        UUID batchId = UUID.randomUUID();
        List<UUID> runs = start(batchId, 1, 700);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<RunRecords.Finished>>> sweeps = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sweeps.add(pool.submit(() -> {
                    List<RunRecords.Finished> all = new ArrayList<>();
                    List<RunRecords.Finished> chunk;
                    do {
                        chunk = records.failExpired(t0.plusSeconds(STEP_TIMEOUT + 1), 100)
                                .finished();
                        all.addAll(chunk);
                    } while (!chunk.isEmpty());
                    return all;
                }));
            }
            List<UUID> failed = new ArrayList<>();
            for (Future<List<RunRecords.Finished>> sweep : sweeps) {
                sweep.get().forEach(finished -> failed.add(finished.pipelineId()));
            }
            assertEquals(runs.size(), failed.size(), "each run failed by exactly one sweep");
            assertEquals(new HashSet<>(runs), new HashSet<>(failed));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(
                "700",
                single("select count(*) from step_results s join pipeline_results r on r.pipeline_id = s.pipeline_id "
                        + "where r.batch_id = '" + batchId + "' and s.failure_code = 504"));
        assertEquals("700", single("select sum(failed) from pipeline_batch_counts where batch_id = '" + batchId + "'"));
        assertEquals(
                true,
                single("select finished_at from pipeline_batches where id = '" + batchId + "'") != null,
                "the batch finished");
    }

    // ---- retries (issue 13 part 2) ----

    private static final RetryPolicy THREE_ATTEMPTS = new RetryPolicy(3, 2, List.of());

    private String retryState(UUID run) throws SQLException {
        return single("select coalesce(retry_step, 0) || '/' || coalesce(retry_failed_attempts, 0) || '/' || retry_due "
                + "from pipeline_results where pipeline_id = '" + run + "'");
    }

    private List<RunRecords.DueRetry> dueByThen(UUID run) {
        return records.dueRetries(Instant.now().plusSeconds(3600), 100).stream()
                .filter(due -> due.pipelineId().equals(run))
                .toList();
    }

    private boolean dispatched(RunRecords.DueRetry retry) throws SQLException {
        return LocalTransaction.run(db(), c -> records.retryDispatched(c, retry, Instant.now()));
    }

    @Test
    void aFailureItsPolicyRetriesStoresNothingKeepsTheRunRunningAndSchedulesTheNextAttemptAfterTheBackoff()
            throws SQLException {
        UUID run = start(null, 2, 1, THREE_ATTEMPTS).get(0);
        RunRecords.Recorded recorded = records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1), 2)));

        assertEquals(List.of(), recorded.finished());
        assertEquals(Map.of(), recorded.rejected());
        assertEquals("Running", status(run));
        assertEquals("0", single("select count(*) from step_results where pipeline_id = '" + run + "'"));
        assertEquals("1/1/true", retryState(run).toLowerCase());
        assertEquals(List.of(), records.dueRetries(Instant.now().minusSeconds(60), 100), "not due before its backoff");
        RunRecords.DueRetry due = dueByThen(run).get(0);
        assertEquals(1, due.order());
        assertEquals(1, due.failedAttempts());
        assertEquals("{\"type\":\"ApString\",\"value\":\"x\"}", due.inputJson(), "step 1 is tried on the run's input");
        assertEquals(
                List.of(),
                records.failExpired(Instant.now().plusSeconds(3600), 100).finished(),
                "a retry waiting for its backoff is not a missed deadline");
    }

    @Test
    void aDuplicateOfTheFailureWhileTheRetryWaitsIsRefusedAndCountsNoAttempt() throws SQLException {
        UUID run = start(null, 1, 1, THREE_ATTEMPTS).get(0);
        records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1))));
        RunRecords.Recorded again = records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1))));

        assertInstanceOf(RunnerException.Conflict.class, again.rejected().get(0));
        assertEquals("1/1/true", retryState(run).toLowerCase());
    }

    @Test
    void eachAttemptIsDispatchedOnceAndTheRunFailsWhenAttemptsAreExhaustedWithTheCountOnTheStep() throws SQLException {
        UUID run = start(null, 2, 1, THREE_ATTEMPTS).get(0);
        for (int attempt = 1; attempt <= 2; attempt++) {
            assertEquals(
                    List.of(),
                    records.recordReports(List.of(failed(run, 1, t0.plusSeconds(attempt), 2)))
                            .finished());
            RunRecords.DueRetry due = dueByThen(run).get(0);
            assertEquals(attempt, due.failedAttempts());
            assertTrue(dispatched(due));
            assertFalse(dispatched(due), "a second sweep dispatches nothing");
            assertEquals("1/" + attempt + "/false", retryState(run).toLowerCase());
        }
        RunRecords.Recorded last = records.recordReports(List.of(failed(run, 1, t0.plusSeconds(3), 2)));

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Failed)), last.finished());
        assertEquals(
                "1:3 2:null",
                rows("select step_order, attempts from step_results where pipeline_id = '" + run
                        + "' order by step_order"));
        assertEquals(
                "boom",
                single("select last_failure_reason from step_results where pipeline_id = '" + run
                        + "' and step_order = 1"));
    }

    @Test
    void aStepSucceedingOnItsSecondAttemptStoresTheAttemptsAndMovesTheDeadlineOn() throws SQLException {
        UUID run = start(null, 2, 1, THREE_ATTEMPTS).get(0);
        records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1), 2)));
        assertTrue(dispatched(dueByThen(run).get(0)));
        records.recordReports(List.of(completed(run, 1, t0.plusSeconds(5))));

        assertEquals("1:2", rows("select step_order, attempts from step_results where pipeline_id = '" + run + "'"));
        assertEquals("boom", single("select last_failure_reason from step_results where pipeline_id = '" + run + "'"));
        assertEquals("2", single("select deadline_step from pipeline_results where pipeline_id = '" + run + "'"));
        RunRecords.Recorded second = records.recordReports(List.of(completed(run, 2, t0.plusSeconds(6))));
        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Succeeded)), second.finished());
        assertEquals(
                "2:null",
                rows("select step_order, attempts from step_results where pipeline_id = '" + run
                        + "' and step_order = 2"));
    }

    @Test
    void aRetryOfALaterStepIsTriedOnTheResultOfTheStepBeforeOnceThatResultIsStored() throws SQLException {
        UUID run = start(null, 3, 1, THREE_ATTEMPTS).get(0);
        // step 2's failure is recorded before step 1's completion: the retry waits for its input
        records.recordReports(List.of(failed(run, 2, t0.plusSeconds(2), 3)));
        assertNull(dueByThen(run).get(0).inputJson());
        records.recordReports(List.of(completed(run, 1, t0.plusSeconds(1))));

        RunRecords.DueRetry due = dueByThen(run).get(0);
        assertEquals(2, due.order());
        assertEquals("{\"type\":\"ApInt\",\"value\":1}", due.inputJson());
        assertEquals(
                "2/1/true", retryState(run).toLowerCase(), "the late completion of step 1 does not end step 2's retry");
    }

    @Test
    void aFailureWithACodeThePolicyDoesNotListFailsTheRunAtOnce() throws SQLException {
        UUID run = start(null, 1, 1, new RetryPolicy(5, 1, List.of(503))).get(0);
        RunRecords.Recorded recorded = records.recordReports(List.of(failed(run, 1, t0.plusSeconds(1))));

        assertEquals(List.of(new RunRecords.Finished(run, RunStatus.Failed)), recorded.finished());
        assertEquals("1:null", rows("select step_order, attempts from step_results where pipeline_id = '" + run + "'"));
    }

    @Test
    void aMissedDeadlineIsRetriedLikeA504AndTheStepsNextDeadlineCountsFromItsDispatch() throws SQLException {
        UUID run = start(null, 1, 1, THREE_ATTEMPTS).get(0);
        RunRecords.Recorded expired = records.failExpired(t0.plusSeconds(STEP_TIMEOUT + 1), 100);

        assertEquals(List.of(), expired.finished());
        assertEquals("1/1/true", retryState(run).toLowerCase());
        assertTrue(single("select retry_last_failure from pipeline_results where pipeline_id = '" + run + "'")
                .startsWith("Step 1 (procedure 'proc1' on node 'node') did not report within its deadline"));
        Instant dispatchedAt = Instant.now();
        RunRecords.DueRetry due = dueByThen(run).get(0);
        boolean dispatched = LocalTransaction.run(db(), c -> records.retryDispatched(c, due, dispatchedAt));
        assertTrue(dispatched);
        assertEquals(
                dispatchedAt.plusSeconds(STEP_TIMEOUT).truncatedTo(ChronoUnit.MILLIS),
                instant("select step_deadline_at from pipeline_results where pipeline_id = '" + run + "'")
                        .truncatedTo(ChronoUnit.MILLIS));
    }

    @Test
    void aRerunCopiesItsReusedStepsWaitsForItsFirstStepAndSucceedsOnceTheStepsItRanSucceed() throws SQLException {
        UUID old = start(null, 3, 1).get(0);
        records.recordReports(List.of(completed(old, 1, t0.plusSeconds(1)), failed(old, 2, t0.plusSeconds(2), 3)));
        assertEquals("Failed", status(old));

        UUID rerun = UUID.randomUUID();
        Instant t1 = t0.plusSeconds(100);
        List<StepPlan.Step> steps = new ArrayList<>();
        for (int order = 1; order <= 3; order++) {
            steps.add(new StepPlan.Step(STEP_TIMEOUT * order, "node", "proc" + order, null));
        }
        StoredRun.Step reused = new StoredRun.Step(
                1,
                "node",
                "proc1",
                "text",
                t0.plusSeconds(1),
                true,
                "{\"type\":\"ApInt\",\"value\":1}",
                null,
                null,
                1,
                null);
        LocalTransaction.run(db(), c -> {
            records.recordRerun(
                    c,
                    userId,
                    new RunRecords.NewRerun(rerun, old, 2, "{\"type\":\"ApString\",\"value\":\"x\"}", List.of(reused)),
                    new StepPlan(steps),
                    t1);
            return null;
        });
        assertEquals("Running", status(rerun));
        assertEquals(
                "1:true",
                rows("select step_order, was_successful from step_results where pipeline_id = '" + rerun + "'"));
        assertEquals(
                t0.plusSeconds(1), instant("select finished_at from step_results where pipeline_id = '" + rerun + "'"));
        assertEquals(
                old + ":2",
                rows("select rerun_of, rerun_from_order from pipeline_results where pipeline_id = '" + rerun + "'"));
        assertEquals("2", single("select deadline_step from pipeline_results where pipeline_id = '" + rerun + "'"));
        assertEquals(
                t1.plusSeconds(2 * STEP_TIMEOUT),
                instant("select step_deadline_at from pipeline_results where pipeline_id = '" + rerun + "'"));

        RunRecords.Recorded recorded = records.recordReports(
                List.of(completed(rerun, 2, t1.plusSeconds(1)), completed(rerun, 3, t1.plusSeconds(2))));
        assertTrue(recorded.rejected().isEmpty(), recorded.rejected().toString());
        assertEquals("Succeeded", status(rerun));
        assertEquals(t1.plusSeconds(2), finishedAt(rerun));
        assertEquals("Failed", status(old));
    }

    /** Row-lock waits are visible (pg_stat_activity); the H2 variant skips what needs them. */
    void assumeLockWaitsVisible() {}

    private void awaitALockWait() throws Exception {
        for (int i = 0; i < 200; i++) {
            if (!"0"
                    .equals(single("select count(*) from pg_stat_activity where wait_event_type = 'Lock' "
                            + "and datname = current_database()"))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the report never waited for the cancellation's lock");
    }

    @Test
    void aReportRacingItsRunsCancellationIsAcknowledgedAsOneForACancelledRunNotRefused() throws Exception {
        assumeLockWaitsVisible();
        UUID run = start(null, 2, 1).get(0);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection cancelling = db().getConnection()) {
            cancelling.setAutoCommit(false);
            records.cancelRuns(cancelling, userId, run, false, "cancelled by tester", Instant.now());
            // The report read the run as Running; its insert of step 1 waits for the cancellation's not-run row.
            Future<RunRecords.Recorded> report =
                    pool.submit(() -> records.recordReports(List.of(completed(run, 1, t0.plusSeconds(1)))));
            awaitALockWait();
            cancelling.commit();
            RunRecords.Recorded recorded = report.get(30, java.util.concurrent.TimeUnit.SECONDS);

            assertEquals(Map.of(), recorded.rejected(), "acknowledged, not dead-lettered");
            assertEquals(List.of(), recorded.finished());
            assertEquals("Cancelled", status(run));
            assertEquals(
                    "cancelled by tester",
                    single("select failure_reason from step_results where pipeline_id = '" + run
                            + "' and step_order = 1"));
        } finally {
            pool.shutdownNow();
        }
    }
}
