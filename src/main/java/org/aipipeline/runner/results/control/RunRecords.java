package org.aipipeline.runner.results.control;

import static org.aipipeline.runner.platform.control.DatabaseTime.at;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.DatabaseFailures;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.users.control.UserDeleted;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.annotation.Gauge;

/**
 * The one writer of {@code pipeline_results}, {@code step_results}, {@code pipeline_batches} and
 * {@code pipeline_batch_counts}: runs are recorded when they start, node reports in batches.
 *
 * <p>The rules, each held by the database rather than by a lock taken first:
 * <ul>
 *   <li>A step is stored at most once per (pipeline, order): {@code INSERT … ON CONFLICT DO
 *       NOTHING}, so a duplicate, a redelivery or a late report stores nothing, whatever the
 *       arrival order.</li>
 *   <li>A run leaves Running exactly once, by an UPDATE conditional on {@code status =
 *       'Running'}; its update count says which transaction finished it, and only that one
 *       counts the run in its batch and announces it. A failure report fails a running run at
 *       {@code failedAt}; a finished run never changes status again, late reports only fill gaps.</li>
 *   <li>A run succeeds once every order 1..stepCount holds a successful step, at the finish time
 *       of its last step (highest order). For runs of several steps the success check first locks
 *       the run's row (a touch), so of two transactions storing its last two steps at once, the
 *       later one's check (a new statement under READ COMMITTED) sees the other's committed step.</li>
 *   <li>A node's report is recorded only if it names a pipeline that exists, a step inside
 *       1..stepCount that was dispatched to the node and procedure it names (the run's
 *       {@code step_plan}), and that step is still open (no row yet, not failed by its deadline).
 *       Anything else stores nothing and is answered as rejected with the reason (the consumer
 *       dead-letters it). A failure marks every later step not run, named as dispatched.</li>
 *   <li>Every run waits for one step at a time until a deadline ({@code step_plan} holds each
 *       step's wait): recording a step's success moves the deadline to the next step, never back.
 *       {@link #failExpired} fails runs past it as a failure report would, and a report for that
 *       step or a later one arriving afterwards is refused.</li>
 *   <li>A failure of a step whose retry policy ({@link StepPlan.Step#retry}) covers its code, with
 *       attempts left, stores nothing and does not finish the run: it schedules the step's next
 *       attempt after its backoff (the run's {@code retry_*} columns; {@code step_deadline_at} is
 *       then the dispatch time). A step's row, once stored, carries how many attempts it took.</li>
 *   <li>A run is cancelled by its owner ({@link #cancelRuns}) only while Running, by the same
 *       conditional UPDATE, and its steps without a row are stored as not run. A node's report for
 *       a cancelled run is neither recorded nor refused: the node may not know of the cancellation
 *       (or ignore CancelPipeline), so it is acknowledged and counted ({@link #reportsOfCancelledRuns}).</li>
 *   <li>A batch is finished by one conditional UPDATE after the commit that finished its runs,
 *       against its counters, never by locking the batch row: of two transactions finishing its
 *       last runs, whichever runs its UPDATE later sees both commits.</li>
 * </ul>
 * Statements whose update count decides something run one by one (on one connection, in one
 * transaction); the rest go as JDBC batches. Rows are written in pipeline-id order so concurrent
 * batches rarely deadlock; if the database
 * still aborts one as a deadlock the whole transaction runs again ({@link LocalTransaction}).
 */
@ApplicationScoped
public class RunRecords {

    private static final System.Logger LOG = System.getLogger(RunRecords.class.getName());

    /** The code of a step that will not run because its owner cancelled the run (as nginx's "client closed request"). */
    public static final int CANCELLED_CODE = 499;

    private static final String RUNNING_ONE =
            "select pipeline_id, step_count, step_plan, batch_id, callback_events from pipeline_results "
                    + "where pipeline_id = ? and user_id = ? and status = 'Running' for update";
    private static final String RUNNING_IN_BATCH =
            "select pipeline_id, step_count, step_plan, batch_id, callback_events from pipeline_results "
                    + "where batch_id = ? and user_id = ? and status = 'Running' order by pipeline_id for update";
    private static final String CANCEL =
            "update pipeline_results set status = 'Cancelled', finished_at = ?, updated_at = ? "
                    + "where pipeline_id = ? and status = 'Running'";

    private final AtomicLong reportsOfCancelledRuns = new AtomicLong();

    /** Counter rows per batch: concurrent completion transactions each add to a random one. */
    static final int BATCH_SLOTS = 8;

    private static final int JDBC_BATCH = 500;

    private static final String INSERT_BATCH =
            "insert into pipeline_batches (id, user_id, total_pipeline_count, created_at) " + "values (?, ?, ?, ?)";
    private static final String INSERT_BATCH_SLOT =
            "insert into pipeline_batch_counts (batch_id, slot, succeeded, failed) " + "values (?, ?, 0, 0)";
    private static final String INSERT_RESULT =
            "insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, "
                    + "initial_input, step_count, created_at, updated_at, step_plan, step_deadline_at, deadline_step, "
                    + "callback_url, callback_secret, callback_events) values (?, ?, ?, ?, 'Running', ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)";
    private static final String INSERT_DELIVERY =
            "insert into callback_deliveries (pipeline_id, event, body, created_at, "
                    + "next_attempt_at) values (?, ?, ?, ?, ?)";
    /** A rerun: waits for step rerun_from_order first (the steps before it are copied, already successful). */
    private static final String INSERT_RERUN =
            "insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, "
                    + "initial_input, step_count, created_at, updated_at, step_plan, step_deadline_at, deadline_step, rerun_of, "
                    + "rerun_from_order) values (?, ?, ?, null, 'Running', ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final String KNOWN = "select pipeline_id, step_count, batch_id, step_plan, expired_step, status, "
            + "retry_step, retry_failed_attempts, retry_last_failure, retry_due, deadline_step, step_deadline_at, callback_events "
            + "from pipeline_results where pipeline_id = any (?)";
    private static final String INSERT_STEP =
            "insert into step_results (pipeline_id, step_order, id, node_id, node_procedure_id, "
                    + "output_value_selector, finished_at, was_successful, result, failure_code, failure_reason, attempts, "
                    + "last_failure_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing";
    /**
     * Locks the run's row for the success check, and moves its deadline on to the next step (never
     * back); a retry still waiting for its backoff is then moot (its step succeeded after all).
     */
    private static final String TOUCH = "update pipeline_results set updated_at = ?, "
            + "step_deadline_at = case when deadline_step < ? then ? else step_deadline_at end, "
            + "retry_due = case when deadline_step < ? then false else retry_due end, "
            + "deadline_step = case when deadline_step < ? then ? else deadline_step end where pipeline_id = ?";

    private static final String EXPIRED =
            "select pipeline_id, deadline_step, step_plan, step_deadline_at from pipeline_results "
                    + "where status = 'Running' and step_deadline_at < ? and not retry_due "
                    + "order by step_deadline_at limit ? for update skip locked";
    /**
     * Schedules the next attempt of a step whose attempt just failed: only while the run is running,
     * no other attempt is scheduled, the retry state is still the one this transaction read (a
     * concurrent duplicate of the failure changes nothing) and the step has no row (it did not
     * succeed meanwhile). step_deadline_at becomes the time to dispatch it.
     */
    private static final String SCHEDULE_RETRY =
            "update pipeline_results set retry_step = ?, retry_failed_attempts = ?, "
                    + "retry_last_failure = ?, retry_due = true, step_deadline_at = ?, deadline_step = ?, updated_at = ? "
                    + "where pipeline_id = ? and status = 'Running' and not retry_due and coalesce(retry_step, 0) = ? "
                    + "and coalesce(retry_failed_attempts, 0) = ? "
                    + "and not exists (select 1 from step_results s where s.pipeline_id = ? and s.step_order = ?)";
    /** Retries whose backoff is over, with the input of their step: the run's input or the previous step's result. */
    private static final String DUE_RETRIES = "select r.pipeline_id, r.user_id, r.step_plan, r.retry_step, "
            + "r.retry_failed_attempts, case when r.retry_step = 1 then r.initial_input else (select s.result from step_results s "
            + "where s.pipeline_id = r.pipeline_id and s.step_order = r.retry_step - 1 and s.was_successful) end "
            + "from pipeline_results r where r.status = 'Running' and r.retry_due and r.step_deadline_at < ? "
            + "order by r.step_deadline_at limit ?";
    /** Ends a retry's wait, once: the step's deadline counts from its dispatch again. */
    private static final String RETRY_DISPATCHED =
            "update pipeline_results set retry_due = false, step_deadline_at = ?, "
                    + "updated_at = ? where pipeline_id = ? and status = 'Running' and retry_due and retry_step = ? "
                    + "and retry_failed_attempts = ?";

    private static final String POSTPONE_RETRY = "update pipeline_results set step_deadline_at = ? "
            + "where pipeline_id = ? and status = 'Running' and retry_due";
    private static final String CANCELLED_AMONG =
            "select pipeline_id from pipeline_results " + "where pipeline_id = any (?) and status = 'Cancelled'";
    private static final String MARK_EXPIRED = "update pipeline_results set expired_step = ? where pipeline_id = ?";
    /** The code of a step that did not report before its deadline, as HTTP's gateway timeout. */
    public static final int DEADLINE_CODE = 504;

    private static final String SUCCEED_WHEN_ALL_STORED =
            "update pipeline_results set status = 'Succeeded', updated_at = ?, "
                    + "finished_at = (select s.finished_at from step_results s where s.pipeline_id = pipeline_results.pipeline_id "
                    + "and s.step_order = pipeline_results.step_count) "
                    + "where pipeline_id = ? and status = 'Running' and step_count = (select count(*) from step_results s "
                    + "where s.pipeline_id = pipeline_results.pipeline_id and s.was_successful)";
    private static final String FINISH = "update pipeline_results set status = ?, finished_at = ?, updated_at = ? "
            + "where pipeline_id = ? and status = 'Running'";
    private static final String COUNT_IN_BATCH =
            "update pipeline_batch_counts set succeeded = succeeded + ?, failed = failed + ? "
                    + "where batch_id = ? and slot = ?";
    private static final String FINISH_BATCH = "update pipeline_batches set finished_at = "
            + "(select max(r.finished_at) from pipeline_results r where r.batch_id = ?) "
            + "where id = ? and finished_at is null and total_pipeline_count <= "
            + "(select coalesce(sum(c.succeeded + c.failed), 0) from pipeline_batch_counts c where c.batch_id = ?)";

    private static final List<String> DELETE_USERS_RESULTS = List.of(
            "delete from callback_deliveries where pipeline_id in (select r.pipeline_id from pipeline_results r where r.user_id = ?)",
            "delete from step_results where pipeline_id in (select r.pipeline_id from pipeline_results r where r.user_id = ?)",
            "delete from pipeline_results where user_id = ?",
            "delete from pipeline_batch_counts where batch_id in (select b.id from pipeline_batches b where b.user_id = ?)",
            "delete from pipeline_batches where user_id = ?");

    /** A run to record: its pipeline id and its input as ApElement JSON. */
    public record NewRun(UUID pipelineId, String inputJson) {}

    /** A run this call finished, with how. */
    public record Finished(UUID pipelineId, RunStatus status) {}

    /**
     * What recording a list of reports did.
     *
     * @param finished the runs these reports finished (each reported by exactly one transaction)
     * @param rejected by index into the reports: why that report can never be stored
     */
    public record Recorded(List<Finished> finished, Map<Integer, RuntimeException> rejected) {}

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    RunMetrics metrics;

    /** For CDI. */
    protected RunRecords() {}

    /** For plain use and tests: nothing is counted on {@code /metrics}. */
    public RunRecords(DataSource dataSource) {
        this.dataSource = dataSource;
        this.metrics = RunMetrics.NONE;
    }

    /**
     * Records new runs (status Running), and their batch with its counters when {@code batchId}
     * is not null, on the caller's connection inside its transaction.
     */
    public void recordRuns(
            Connection connection, UUID userId, UUID batchId, StepPlan plan, List<NewRun> runs, Instant now)
            throws SQLException {
        recordRuns(connection, userId, batchId, plan, runs, null, now);
    }

    /** As above, every run with the same {@code callback} (null: none). */
    public void recordRuns(
            Connection connection,
            UUID userId,
            UUID batchId,
            StepPlan plan,
            List<NewRun> runs,
            RunCallback callback,
            Instant now)
            throws SQLException {
        OffsetDateTime at = at(now);
        int stepCount = plan.steps().size();
        String planText = plan.text();
        OffsetDateTime firstDeadline = at(now.plusSeconds(plan.step(1).timeoutSeconds()));
        if (batchId != null) {
            try (PreparedStatement batch = connection.prepareStatement(INSERT_BATCH)) {
                batch.setObject(1, batchId);
                batch.setObject(2, userId);
                batch.setInt(3, runs.size());
                batch.setObject(4, at);
                batch.executeUpdate();
            }
            try (PreparedStatement slots = connection.prepareStatement(INSERT_BATCH_SLOT)) {
                for (int slot = 0; slot < BATCH_SLOTS; slot++) {
                    slots.setObject(1, batchId);
                    slots.setInt(2, slot);
                    slots.addBatch();
                }
                slots.executeBatch();
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RESULT)) {
            int pending = 0;
            for (NewRun run : runs) {
                insert.setObject(1, UUID.randomUUID());
                insert.setObject(2, run.pipelineId());
                insert.setObject(3, userId);
                insert.setObject(4, batchId);
                insert.setString(5, run.inputJson());
                insert.setInt(6, stepCount);
                insert.setObject(7, at);
                insert.setObject(8, at);
                insert.setString(9, planText);
                insert.setObject(10, firstDeadline);
                insert.setString(11, callback == null ? null : callback.url());
                insert.setString(12, callback == null ? null : callback.secret());
                insert.setString(13, callback == null ? null : callback.eventsText());
                insert.addBatch();
                if (++pending == JDBC_BATCH) {
                    insert.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                insert.executeBatch();
            }
        }
    }

    /**
     * A rerun to record: a new pipeline whose steps before {@code fromOrder} are the old run's
     * {@code reused} (successful) rows, copied with their results and finish times.
     */
    public record NewRerun(
            UUID pipelineId, UUID rerunOf, int fromOrder, String initialInputJson, List<StoredRun.Step> reused) {
        public NewRerun {
            reused = List.copyOf(reused);
        }
    }

    /**
     * Records a rerun (status Running, waiting for step {@code fromOrder} until its timeout from
     * {@code now}) and copies its reused steps, on the caller's connection inside its transaction.
     * The copied rows count for the success check like any stored step, so the run succeeds once
     * the steps it dispatches succeed.
     */
    public void recordRerun(Connection connection, UUID userId, NewRerun rerun, StepPlan plan, Instant now)
            throws SQLException {
        OffsetDateTime at = at(now);
        try (PreparedStatement insert = connection.prepareStatement(INSERT_RERUN)) {
            insert.setObject(1, UUID.randomUUID());
            insert.setObject(2, rerun.pipelineId());
            insert.setObject(3, userId);
            insert.setString(4, rerun.initialInputJson());
            insert.setInt(5, plan.steps().size());
            insert.setObject(6, at);
            insert.setObject(7, at);
            insert.setString(8, plan.text());
            insert.setObject(9, at(now.plusSeconds(plan.step(rerun.fromOrder()).timeoutSeconds())));
            insert.setInt(10, rerun.fromOrder());
            insert.setObject(11, rerun.rerunOf());
            insert.setInt(12, rerun.fromOrder());
            insert.executeUpdate();
        }
        List<Row> copies = new ArrayList<>(rerun.reused().size());
        for (StoredRun.Step step : rerun.reused()) {
            copies.add(new Row(
                    rerun.pipelineId(),
                    StepRecord.succeeded(
                            step.order(),
                            step.nodeId(),
                            step.procedureId(),
                            step.outputValueSelector(),
                            step.finishedAt(),
                            step.resultJson()),
                    -1,
                    step.attempts(),
                    step.lastFailureReason()));
        }
        new Recording(connection, List.of(), false).insert(copies);
    }

    /** The runs one cancellation finished, and their batches (to finish after the commit). */
    public record Cancellation(List<Finished> cancelled, Set<UUID> batches, Map<UUID, String> entries) {}

    /**
     * Cancels, in the caller's transaction, the owner's run {@code pipelineId} or, with
     * {@code inBatch}, every running run of that batch: each becomes Cancelled at {@code now} (only
     * from Running, so a run that finished meanwhile keeps its outcome), every step without a row is
     * stored as not run with code {@value #CANCELLED_CODE} and {@code reason}, and the runs count as
     * failed in their batch's counters so the batch finishes ({@link #finishBatches} after the commit).
     */
    public Cancellation cancelRuns(
            Connection connection, UUID userId, UUID id, boolean inBatch, String reason, Instant now)
            throws SQLException {
        OffsetDateTime at = at(now);
        List<Finished> cancelled = new ArrayList<>();
        Map<UUID, long[]> perBatch = new TreeMap<>();
        List<Row> notRun = new ArrayList<>();
        Map<UUID, String> entries = new HashMap<>();
        List<CallbackEvents.Delivery> cancelledCallbacks = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(inBatch ? RUNNING_IN_BATCH : RUNNING_ONE);
                PreparedStatement cancel = connection.prepareStatement(CANCEL)) {
            select.setObject(1, id);
            select.setObject(2, userId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID pipelineId = rs.getObject(1, UUID.class);
                    cancel.setObject(1, at);
                    cancel.setObject(2, at);
                    cancel.setObject(3, pipelineId);
                    if (cancel.executeUpdate() == 0) {
                        continue;
                    }
                    cancelled.add(new Finished(pipelineId, RunStatus.Cancelled));
                    if (RunCallback.asks(rs.getString(5), "finished")) {
                        cancelledCallbacks.add(CallbackEvents.finished(pipelineId, RunStatus.Cancelled, now));
                    }
                    UUID batchId = rs.getObject(4, UUID.class);
                    if (batchId != null) {
                        perBatch.computeIfAbsent(batchId, batch -> new long[2])[1]++;
                    }
                    String plan = rs.getString(3);
                    entries.put(pipelineId, "unknown");
                    if (plan != null) {
                        StepPlan steps = StepPlan.parse(plan);
                        entries.put(pipelineId, steps.entry());
                        for (int order = 1; order <= rs.getInt(2); order++) {
                            StepPlan.Step step = steps.step(order);
                            notRun.add(new Row(
                                    pipelineId,
                                    StepRecord.notRun(
                                            order,
                                            step.nodeId(),
                                            step.procedureId(),
                                            step.outputValueSelector(),
                                            CANCELLED_CODE,
                                            reason),
                                    -1));
                        }
                    }
                }
            }
        }
        Recording recording = new Recording(connection, List.of(), false);
        recording.insert(notRun);
        recording.count(perBatch);
        recording.queue(cancelledCallbacks);
        return new Cancellation(cancelled, perBatch.keySet(), entries);
    }

    /** On {@code /metrics}, after the commit of a cancellation: the runs it cancelled. */
    public void counted(Cancellation cancellation) {
        cancellation
                .cancelled()
                .forEach(run -> metrics.finished(
                        RunStatus.Cancelled, cancellation.entries().getOrDefault(run.pipelineId(), "unknown")));
    }

    /**
     * Node reports for cancelled runs acknowledged without being recorded, since this instance
     * started; on {@code /metrics} as {@code runner_reports_of_cancelled_runs} (scope application).
     */
    @Gauge(
            name = "runner_reports_of_cancelled_runs",
            unit = MetricUnits.NONE,
            absolute = true,
            description = "Node reports for cancelled runs, acknowledged and not recorded, since start")
    public long reportsOfCancelledRuns() {
        return reportsOfCancelledRuns.get();
    }

    /**
     * Stores what the reports say in one transaction, then finishes the batches whose last runs
     * they finished.
     *
     * @throws RunnerException.Unavailable the database failed (nothing was stored; try again)
     */
    public Recorded recordReports(List<RunReport> reports) {
        try {
            return afterCommit(
                    LocalTransaction.run(dataSource, connection -> new Recording(connection, reports, true).store()));
        } catch (SQLException e) {
            if (DatabaseFailures.isUnavailable(e)) {
                throw new RunnerException.Unavailable("Cannot record step reports: " + e.getMessage());
            }
            // Refused, not unreachable: the same reports would fail the same way, so this is not an
            // outage to wait out; the consumer retries them one by one and dead-letters the culprit.
            throw new IllegalStateException("The database refused step reports: " + e.getMessage(), e);
        }
    }

    /**
     * Fails, at {@code now}, up to {@code limit} running runs whose awaited step is past its
     * deadline: that step fails with code {@value #DEADLINE_CODE} and a reason naming node,
     * procedure and wait, the steps after it are not run, and the run remembers the step so that a
     * report arriving later is refused. The rows are taken {@code FOR UPDATE SKIP LOCKED}, so
     * sweeps on several instances share the work; finishing stays conditional as for any report,
     * so a run is failed exactly once whatever overlaps.
     *
     * @throws RunnerException.Unavailable the database failed (nothing was changed)
     */
    public Recorded failExpired(Instant now, int limit) {
        try {
            return afterCommit(LocalTransaction.run(dataSource, connection -> {
                List<RunReport> expired = new ArrayList<>();
                Map<UUID, Integer> steps = new HashMap<>();
                try (PreparedStatement select = connection.prepareStatement(EXPIRED)) {
                    select.setObject(1, at(now));
                    select.setInt(2, limit);
                    try (ResultSet rs = select.executeQuery()) {
                        while (rs.next()) {
                            UUID pipelineId = rs.getObject(1, UUID.class);
                            int order = rs.getInt(2);
                            Instant deadline =
                                    rs.getObject(4, OffsetDateTime.class).toInstant();
                            expired.add(expiry(pipelineId, StepPlan.parse(rs.getString(3)), order, deadline, now));
                            steps.put(pipelineId, order);
                        }
                    }
                }
                if (expired.isEmpty()) {
                    // The usual sweep, every second: nothing due, nothing more to read or write.
                    return new Recording(connection, expired, false);
                }
                Recording recording = new Recording(connection, expired, false).store();
                try (PreparedStatement mark = connection.prepareStatement(MARK_EXPIRED)) {
                    for (Finished run : recording.finished) {
                        mark.setInt(1, steps.get(run.pipelineId()));
                        mark.setObject(2, run.pipelineId());
                        mark.addBatch();
                    }
                    mark.executeBatch();
                }
                return recording;
            }));
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot fail runs past their step deadline: " + e.getMessage());
        }
    }

    /**
     * A step whose next attempt is due.
     *
     * @param order          the step to dispatch again
     * @param failedAttempts how many attempts of it failed (the one to dispatch is the next)
     * @param inputJson      the step's input as ApElement JSON: the run's input for step 1, else the
     *                       result of the step before it; null while that result has not reached the runner
     */
    public record DueRetry(
            UUID pipelineId, UUID userId, StepPlan plan, int order, int failedAttempts, String inputJson) {}

    /** Up to {@code limit} retries whose backoff is over at {@code now}, earliest first (nothing is locked). */
    public List<DueRetry> dueRetries(Instant now, int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(DUE_RETRIES)) {
            select.setObject(1, at(now));
            select.setInt(2, limit);
            List<DueRetry> due = new ArrayList<>();
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new DueRetry(
                            rs.getObject(1, UUID.class),
                            rs.getObject(2, UUID.class),
                            StepPlan.parse(rs.getString(3)),
                            rs.getInt(4),
                            rs.getInt(5),
                            rs.getString(6)));
                }
            }
            return due;
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the retries that are due: " + e.getMessage());
        }
    }

    /**
     * Marks, in the caller's transaction (the one that puts the attempt's message in the outbox),
     * the retry as dispatched at {@code now}: the step's deadline counts from now again. False, and
     * nothing changed, when another sweep dispatched it first or the run finished meanwhile.
     */
    public boolean retryDispatched(Connection connection, DueRetry retry, Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(RETRY_DISPATCHED)) {
            update.setObject(
                    1, at(now.plusSeconds(retry.plan().step(retry.order()).timeoutSeconds())));
            update.setObject(2, at(now));
            update.setObject(3, retry.pipelineId());
            update.setInt(4, retry.order());
            update.setInt(5, retry.failedAttempts());
            return update.executeUpdate() > 0;
        }
    }

    /** Looks at a due retry again at {@code until} (its input has not reached the runner yet). */
    public void postponeRetry(UUID pipelineId, Instant until) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(POSTPONE_RETRY)) {
            update.setObject(1, at(until));
            update.setObject(2, pipelineId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot postpone a retry: " + e.getMessage());
        }
    }

    /** The failure report the runner writes for a step that did not report in time. */
    static RunReport expiry(UUID pipelineId, StepPlan plan, int order, Instant deadline, Instant now) {
        StepPlan.Step late = plan.step(order);
        String reason = "Step " + order + " (procedure '" + late.procedureId() + "' on node '" + late.nodeId()
                + "') did not report within its deadline of " + late.timeoutSeconds() + " s (passed at " + deadline
                + ")";
        List<StepRecord> notRun = new ArrayList<>();
        for (int later = order + 1; later <= plan.steps().size(); later++) {
            StepPlan.Step step = plan.step(later);
            notRun.add(StepRecord.notRun(
                    later,
                    step.nodeId(),
                    step.procedureId(),
                    step.outputValueSelector(),
                    DEADLINE_CODE,
                    "Not run: step " + order + " timed out"));
        }
        return RunReport.failed(
                pipelineId,
                StepRecord.failed(
                        order,
                        late.nodeId(),
                        late.procedureId(),
                        late.outputValueSelector(),
                        now,
                        DEADLINE_CODE,
                        reason),
                notRun,
                now);
    }

    /** After the commit: finishes the batches whose last runs this transaction finished, and counts what it did. */
    private Recorded afterCommit(Recording recording) throws SQLException {
        count(recording);
        if (!recording.ofCancelled.isEmpty()) {
            long total = reportsOfCancelledRuns.addAndGet(recording.ofCancelled.size());
            LOG.log(
                    Level.INFO,
                    "Acknowledged {0} node report(s) for cancelled runs without recording them ({1} since start)",
                    recording.ofCancelled.size(),
                    total);
        }
        if (!recording.finishedBatches.isEmpty()) {
            finishBatches(recording.finishedBatches);
        }
        return new Recorded(recording.finished, recording.rejected);
    }

    /** On {@code /metrics}: the steps stored (with their durations), the failed attempts retried, the runs finished. */
    private void count(Recording recording) {
        for (Row row : recording.storedRows) {
            StepRecord step = row.step();
            Known run = recording.known.get(row.pipelineId());
            String outcome = step.successful() ? "succeeded" : step.finishedAt() == null ? "not-run" : "failed";
            metrics.step(
                    step.nodeId(),
                    step.procedureId(),
                    outcome,
                    row.report() >= 0 && run != null ? run.took(step.order(), step.finishedAt()) : null);
        }
        for (int index : recording.retried) {
            StepRecord step = recording.reports.get(index).reported();
            Known run = recording.known.get(recording.reports.get(index).pipelineId());
            metrics.step(
                    step.nodeId(),
                    step.procedureId(),
                    "retried",
                    run == null ? null : run.took(step.order(), step.finishedAt()));
        }
        for (Finished run : recording.finished) {
            Known known = recording.known.get(run.pipelineId());
            metrics.finished(run.status(), known == null ? "unknown" : known.entry());
        }
    }

    /** Finishes the batches whose last running runs were just finished, after the commit that finished them. */
    public void finishBatches(Set<UUID> batchIds) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement finish = connection.prepareStatement(FINISH_BATCH)) {
            for (UUID batchId : batchIds) {
                finish.setObject(1, batchId);
                finish.setObject(2, batchId);
                finish.setObject(3, batchId);
                finish.executeUpdate();
            }
        }
    }

    /**
     * Deletes a deleted user's step results, results and batches inside the user-deletion
     * transaction ({@link UserDeleted} is fired synchronously there; the connection is enlisted in
     * it), children first so no foreign key is violated along the way, whatever the database's
     * cascade support. Bulk statements: a user may own many thousands of results.
     */
    void deleteResultsOf(@Observes UserDeleted deleted) {
        try (Connection connection = dataSource.getConnection()) {
            for (String sql : DELETE_USERS_RESULTS) {
                try (PreparedStatement delete = connection.prepareStatement(sql)) {
                    delete.setObject(1, deleted.userId());
                    delete.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot delete the user's results: " + e.getMessage());
        }
    }

    /**
     * What the database knows of a reported run; {@code expiredStep} is null unless its deadline
     * failed it; {@code cancelled} when its owner cancelled it.
     */
    private record Known(
            int stepCount,
            UUID batchId,
            StepPlan plan,
            Integer expiredStep,
            boolean cancelled,
            int retryStep,
            int failedAttempts,
            String lastFailure,
            boolean retryDue,
            int deadlineStep,
            Instant deadlineAt,
            String callbackEvents) {

        /** The node/procedure the run started with, as runs are counted on {@code /metrics}. */
        String entry() {
            return plan == null ? "unknown" : plan.entry();
        }

        /**
         * How long step {@code order} took from its dispatch to {@code reportedAt}: known only for the
         * step the run waited for, whose deadline is its dispatch plus its wait; null otherwise.
         */
        Duration took(int order, Instant reportedAt) {
            Integer timeout = timeoutOf(order);
            if (order != deadlineStep || deadlineAt == null || timeout == null || reportedAt == null) {
                return null;
            }
            return Duration.between(deadlineAt.minusSeconds(timeout), reportedAt);
        }

        /** Which attempt of step {@code order} a report is about now (1 unless earlier attempts of it failed). */
        int attemptOf(int order) {
            return retryStep == order ? failedAttempts + 1 : 1;
        }

        /** Whether a failure of step {@code order} with {@code code} is tried again rather than failing the run. */
        boolean retriesAfter(int order, int code) {
            return plan != null && plan.step(order).retriesAfter(attemptOf(order), code);
        }

        /** Seconds the runner waits for step {@code order}; none for runs recorded before step deadlines. */
        Integer timeoutOf(int order) {
            return plan == null || order > stepCount ? null : plan.step(order).timeoutSeconds();
        }
    }

    /**
     * One row to insert, with the report it came from (-1: none); {@code attempts} null for a step
     * tried once, else with the reason the latest failed attempt gave.
     */
    private record Row(UUID pipelineId, StepRecord step, int report, Integer attempts, String lastFailureReason) {

        Row(UUID pipelineId, StepRecord step, int report) {
            this(pipelineId, step, report, null, null);
        }
    }

    /** One transaction's work; built afresh for every attempt, so a retried transaction starts clean. */
    private static final class Recording {

        private final Connection connection;
        private final List<RunReport> reports;
        /** Reports sent by nodes, to be checked against what was dispatched; false for the runner's own. */
        private final boolean fromNodes;

        private final OffsetDateTime now = at(DatabaseTime.now());
        private final Map<Integer, RuntimeException> rejected = new HashMap<>();
        private final List<Finished> finished = new ArrayList<>();
        private final Set<UUID> finishedBatches = new LinkedHashSet<>();
        /** Reports for cancelled runs: acknowledged, neither recorded nor refused. */
        private final Set<Integer> ofCancelled = new HashSet<>();
        /** Failures under a retry policy with attempts left, by report index (in order), with what was known of the run. */
        private final TreeMap<Integer, Known> retries = new TreeMap<>();
        /** Of those, the ones whose next attempt this transaction scheduled. */
        private final Set<Integer> retried = new HashSet<>();
        /** And the ones it could not schedule, with why. */
        private final Map<Integer, String> notRetried = new HashMap<>();
        /** What the database knew of the reported runs. */
        private Map<UUID, Known> known = Map.of();
        /** The rows this transaction stored, for {@code /metrics} after the commit. */
        private final List<Row> storedRows = new ArrayList<>();

        Recording(Connection connection, List<RunReport> reports, boolean fromNodes) {
            this.connection = connection;
            this.reports = reports;
            this.fromNodes = fromNodes;
        }

        Recording store() throws SQLException {
            known = known();
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                RunReport report = reports.get(i);
                Known run = known.get(report.pipelineId());
                if (run == null) {
                    rejected.put(i, new RunnerException.NotFound("No pipeline with id " + report.pipelineId()));
                    continue;
                }
                if (fromNodes && run.cancelled()) {
                    // The node did not (or could not) honour CancelPipeline: nothing to record, nothing wrong.
                    ofCancelled.add(i);
                    continue;
                }
                int order = report.reported().order();
                if (order < 1 || order > run.stepCount()) {
                    rejected.put(
                            i,
                            new RunnerException.Invalid(
                                    "procedureIdentifier.orderInPipeline",
                                    "procedureIdentifier.orderInPipeline: " + order
                                            + " is outside this pipeline's steps 1.." + run.stepCount()));
                    continue;
                }
                if (run.expiredStep() != null && order >= run.expiredStep()) {
                    rejected.put(
                            i,
                            new RunnerException.Conflict("Late report: step " + run.expiredStep() + " of pipeline "
                                    + report.pipelineId() + " had already failed at its deadline, so step " + order
                                    + " is not recorded"));
                    continue;
                }
                StepPlan.Step dispatched =
                        run.plan() == null ? null : run.plan().step(order);
                if (fromNodes
                        && dispatched != null
                        && !dispatched.names(
                                report.reported().nodeId(), report.reported().procedureId())) {
                    rejected.put(
                            i,
                            new RunnerException.Invalid(
                                    "procedureIdentifier",
                                    "procedureIdentifier: step " + order
                                            + " of pipeline " + report.pipelineId() + " was dispatched to procedure '"
                                            + dispatched.procedureId()
                                            + "' on node '" + dispatched.nodeId() + "', not to procedure '"
                                            + report.reported().procedureId()
                                            + "' on node '" + report.reported().nodeId() + "'"));
                    continue;
                }
                if (report.isFailure() && run.retryDue() && run.retryStep() == order) {
                    rejected.put(
                            i,
                            new RunnerException.Conflict("Step " + order + " of pipeline " + report.pipelineId()
                                    + " already failed attempt " + run.failedAttempts()
                                    + " and its next attempt is scheduled: "
                                    + "this failure report is a duplicate and is not recorded"));
                    continue;
                }
                if (report.isFailure()
                        && run.retriesAfter(order, report.reported().failureCode())) {
                    retries.put(i, run);
                    continue;
                }
                int attempt = run.attemptOf(order);
                rows.add(
                        attempt == 1
                                ? new Row(report.pipelineId(), report.reported(), i)
                                : new Row(
                                        report.pipelineId(),
                                        report.reported(),
                                        i,
                                        attempt,
                                        report.isFailure() ? report.reported().failureReason() : run.lastFailure()));
                if (report.isFailure()) {
                    for (StepRecord notRun : notRun(report, run)) {
                        rows.add(new Row(report.pipelineId(), notRun, i));
                    }
                }
            }
            Set<Integer> storedReports = insert(rows);
            scheduleRetries();
            if (fromNodes) {
                refuseClosedSteps(storedReports);
            }
            finish(known, storedReports);
            countInBatches(known);
            queueCallbacks();
            return this;
        }

        /**
         * Queues, in this transaction, a delivery for every event a callback of these runs asks
         * for: the steps stored from reports, the attempts retried, the runs finished. Runs without a
         * callback (the usual case) cost nothing here: {@code callback_events} came with {@link #known}.
         */
        private void queueCallbacks() throws SQLException {
            List<CallbackEvents.Delivery> deliveries = new ArrayList<>();
            Instant at = now.toInstant();
            for (Row row : storedRows) {
                Known run = known.get(row.pipelineId());
                StepRecord step = row.step();
                if (run != null
                        && row.report() >= 0
                        && step == reports.get(row.report()).reported()
                        && RunCallback.asks(
                                run.callbackEvents(), step.successful() ? "step-succeeded" : "step-failed")) {
                    deliveries.add(CallbackEvents.step(row.pipelineId(), step, at));
                }
            }
            for (int index : retried) {
                RunReport report = reports.get(index);
                Known run = known.get(report.pipelineId());
                if (RunCallback.asks(run.callbackEvents(), "retrying")) {
                    int failed = run.attemptOf(report.reported().order());
                    deliveries.add(CallbackEvents.retrying(
                            report.pipelineId(),
                            report.reported(),
                            failed,
                            at.plus(run.plan()
                                    .step(report.reported().order())
                                    .retry()
                                    .waitAfter(failed)),
                            at));
                }
            }
            for (Finished run : finished) {
                Known knownRun = known.get(run.pipelineId());
                if (knownRun != null && RunCallback.asks(knownRun.callbackEvents(), "finished")) {
                    deliveries.add(CallbackEvents.finished(run.pipelineId(), run.status(), at));
                }
            }
            queue(deliveries);
        }

        /** Inserts the deliveries, due at once. */
        void queue(List<CallbackEvents.Delivery> deliveries) throws SQLException {
            if (deliveries.isEmpty()) {
                return;
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_DELIVERY)) {
                for (CallbackEvents.Delivery delivery : deliveries) {
                    insert.setObject(1, delivery.pipelineId());
                    insert.setString(2, delivery.event());
                    insert.setString(3, delivery.body());
                    insert.setObject(4, now);
                    insert.setObject(5, now);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }

        /**
         * The steps a failure leaves unrun: every step after the failed one. With the run's plan
         * they are named as dispatched, whatever the node listed (it may list none, or others);
         * a listed step keeps the node's code and reason.
         */
        private static List<StepRecord> notRun(RunReport report, Known run) {
            int failed = report.reported().order();
            Map<Integer, StepRecord> listed = new HashMap<>();
            for (StepRecord step : report.notRun()) {
                if (step.order() > failed && step.order() <= run.stepCount()) {
                    listed.putIfAbsent(step.order(), step);
                }
            }
            if (run.plan() == null) {
                return List.copyOf(listed.values());
            }
            List<StepRecord> notRun = new ArrayList<>(run.stepCount() - failed);
            for (int order = failed + 1; order <= run.stepCount(); order++) {
                StepPlan.Step step = run.plan().step(order);
                StepRecord given = listed.get(order);
                notRun.add(StepRecord.notRun(
                        order,
                        step.nodeId(),
                        step.procedureId(),
                        step.outputValueSelector(),
                        given == null ? report.reported().failureCode() : given.failureCode(),
                        given == null ? "Not run: step " + failed + " failed" : given.failureReason()));
            }
            return notRun;
        }

        /**
         * Schedules the next attempt of each step whose failure its policy retries, instead of failing
         * the run: nothing is stored for the step, the run stays Running, and the deadline sweep
         * dispatches the attempt when its backoff is over ({@link #dueRetries}). Of two failures of
         * the same attempt (a duplicate), the second finds the state changed and is refused.
         */
        private void scheduleRetries() throws SQLException {
            if (retries.isEmpty()) {
                return;
            }
            try (PreparedStatement schedule = connection.prepareStatement(SCHEDULE_RETRY)) {
                for (Map.Entry<Integer, Known> retry : retries.entrySet()) {
                    RunReport report = reports.get(retry.getKey());
                    Known run = retry.getValue();
                    int order = report.reported().order();
                    int failed = run.attemptOf(order);
                    schedule.setInt(1, order);
                    schedule.setInt(2, failed);
                    schedule.setString(3, report.reported().failureReason());
                    schedule.setObject(
                            4, now.plus(run.plan().step(order).retry().waitAfter(failed)));
                    schedule.setInt(5, order);
                    schedule.setObject(6, now);
                    schedule.setObject(7, report.pipelineId());
                    schedule.setInt(8, run.retryStep());
                    schedule.setInt(9, run.failedAttempts());
                    schedule.setObject(10, report.pipelineId());
                    schedule.setInt(11, order);
                    if (schedule.executeUpdate() > 0) {
                        retried.add(retry.getKey());
                    } else {
                        notRetried.put(
                                retry.getKey(),
                                "Step " + order + " of pipeline " + report.pipelineId()
                                        + " is no longer waiting for attempt " + failed
                                        + " (the run finished, the step was recorded, "
                                        + "or this failure is a duplicate), so this report is not recorded");
                    }
                }
            }
        }

        /**
         * A node's report whose step this transaction did not store names a step that is no longer
         * open: it was recorded already (a redelivery, a duplicate, a forgery) or will never run
         * (after the step that failed the run). Refused with the reason instead of being dropped
         * silently; it changes nothing either way.
         */
        private void refuseClosedSteps(Set<Integer> storedReports) throws SQLException {
            List<Integer> closed = new ArrayList<>();
            for (int i = 0; i < reports.size(); i++) {
                if (!rejected.containsKey(i)
                        && !storedReports.contains(i)
                        && !ofCancelled.contains(i)
                        && !retried.contains(i)) {
                    closed.add(i);
                }
            }
            if (closed.isEmpty()) {
                return;
            }
            // A cancellation that committed while this transaction ran (after it read the runs) closed
            // the step with its not-run row: such a report is one for a cancelled run, not a refusal.
            Set<UUID> cancelledMeanwhile = cancelled(closed.stream()
                    .map(i -> reports.get(i).pipelineId())
                    .distinct()
                    .toArray());
            for (int i : closed) {
                RunReport report = reports.get(i);
                if (cancelledMeanwhile.contains(report.pipelineId())) {
                    ofCancelled.add(i);
                    continue;
                }
                rejected.put(
                        i,
                        new RunnerException.Conflict(
                                notRetried.getOrDefault(
                                        i,
                                        "Step " + report.reported().order()
                                                + " of pipeline " + report.pipelineId()
                                                + " is no longer open: it is already recorded (a duplicate "
                                                + "or late report, or a step after the one that failed the run), so this report is not recorded")));
            }
        }

        /** Which of these runs are Cancelled now (a new statement: it sees what committed since {@link #known}). */
        private Set<UUID> cancelled(Object[] pipelineIds) throws SQLException {
            Set<UUID> cancelled = new HashSet<>();
            try (PreparedStatement select = connection.prepareStatement(CANCELLED_AMONG)) {
                select.setArray(1, connection.createArrayOf("UUID", pipelineIds));
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        cancelled.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            return cancelled;
        }

        private Map<UUID, Known> known() throws SQLException {
            Object[] ids =
                    reports.stream().map(RunReport::pipelineId).distinct().toArray();
            Map<UUID, Known> known = new HashMap<>();
            try (PreparedStatement select = connection.prepareStatement(KNOWN)) {
                Array array = connection.createArrayOf("UUID", ids);
                select.setArray(1, array);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        String plan = rs.getString(4);
                        int expired = rs.getInt(5);
                        Integer expiredStep = rs.wasNull() ? null : expired;
                        known.put(
                                rs.getObject(1, UUID.class),
                                new Known(
                                        rs.getInt(2),
                                        rs.getObject(3, UUID.class),
                                        plan == null ? null : StepPlan.parse(plan),
                                        expiredStep,
                                        RunStatus.Cancelled.name().equals(rs.getString(6)),
                                        rs.getInt(7),
                                        rs.getInt(8),
                                        rs.getString(9),
                                        rs.getBoolean(10),
                                        rs.getInt(11),
                                        Optional.ofNullable(rs.getObject(12, OffsetDateTime.class))
                                                .map(OffsetDateTime::toInstant)
                                                .orElse(null),
                                        rs.getString(13)));
                    }
                }
            }
            return known;
        }

        /** Inserts the rows in (pipeline, order) order; answers the reports whose reported step was stored now. */
        private Set<Integer> insert(List<Row> rows) throws SQLException {
            rows.sort(Comparator.comparing(Row::pipelineId)
                    .thenComparingInt(row -> row.step().order()));
            Set<Integer> stored = new HashSet<>();
            if (rows.isEmpty()) {
                return stored;
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_STEP)) {
                for (Row row : rows) {
                    StepRecord step = row.step();
                    insert.setObject(1, row.pipelineId());
                    insert.setInt(2, step.order());
                    insert.setObject(3, UUID.randomUUID());
                    insert.setString(4, step.nodeId());
                    insert.setString(5, step.procedureId());
                    insert.setString(6, step.outputValueSelector());
                    insert.setObject(7, step.finishedAt() == null ? null : at(step.finishedAt()));
                    insert.setBoolean(8, step.successful());
                    insert.setString(9, step.resultJson());
                    if (step.failureCode() == null) {
                        insert.setNull(10, Types.INTEGER);
                    } else {
                        insert.setInt(10, step.failureCode());
                    }
                    insert.setString(11, step.failureReason());
                    if (row.attempts() == null) {
                        insert.setNull(12, Types.INTEGER);
                    } else {
                        insert.setInt(12, row.attempts());
                    }
                    insert.setString(13, row.lastFailureReason());
                    // One execution per row: its update count says whether this transaction stored it.
                    // Executed as a JDBC batch under Payara's pool, the counts did not say so per row
                    // (runs stayed Running in PipelinesIT's 1,000-run batch); not seen with a plain driver.
                    if (insert.executeUpdate() > 0) {
                        storedRows.add(row);
                        if (row.report() >= 0
                                && step == reports.get(row.report()).reported()) {
                            stored.add(row.report());
                        }
                    }
                }
            }
            return stored;
        }

        /**
         * Moves runs out of Running where the reports say so: failures always try (a running run
         * fails), successes only when this transaction stored the step.
         */
        private void finish(Map<UUID, Known> known, Set<Integer> storedReports) throws SQLException {
            TreeMap<UUID, RunReport> checkAll = new TreeMap<>();
            TreeMap<UUID, RunReport> direct = new TreeMap<>();
            for (int i = 0; i < reports.size(); i++) {
                RunReport report = reports.get(i);
                if (rejected.containsKey(i) || ofCancelled.contains(i) || retried.contains(i)) {
                    continue;
                }
                if (report.isFailure()) {
                    direct.merge(report.pipelineId(), report, RunRecords::earlierFailure);
                } else if (storedReports.contains(i)) {
                    if (known.get(report.pipelineId()).stepCount() == 1) {
                        direct.putIfAbsent(report.pipelineId(), report);
                    } else {
                        checkAll.put(report.pipelineId(), report);
                    }
                }
            }
            if (!checkAll.isEmpty()) {
                try (PreparedStatement touch = connection.prepareStatement(TOUCH)) {
                    for (Map.Entry<UUID, RunReport> run : checkAll.entrySet()) {
                        int next = run.getValue().reported().order() + 1;
                        Integer timeout = known.get(run.getKey()).timeoutOf(next);
                        touch.setObject(1, now);
                        touch.setInt(2, timeout == null ? 0 : next);
                        if (timeout == null) {
                            touch.setNull(3, Types.TIMESTAMP_WITH_TIMEZONE);
                        } else {
                            touch.setObject(3, now.plusSeconds(timeout));
                        }
                        touch.setInt(4, timeout == null ? 0 : next);
                        touch.setInt(5, timeout == null ? 0 : next);
                        touch.setInt(6, next);
                        touch.setObject(7, run.getKey());
                        touch.addBatch();
                    }
                    touch.executeBatch();
                }
                try (PreparedStatement succeed = connection.prepareStatement(SUCCEED_WHEN_ALL_STORED)) {
                    for (UUID pipelineId : checkAll.keySet()) {
                        succeed.setObject(1, now);
                        succeed.setObject(2, pipelineId);
                        if (succeed.executeUpdate() > 0) {
                            finished.add(new Finished(pipelineId, RunStatus.Succeeded));
                        }
                    }
                }
            }
            if (!direct.isEmpty()) {
                try (PreparedStatement update = connection.prepareStatement(FINISH)) {
                    for (Map.Entry<UUID, RunReport> run : direct.entrySet()) {
                        RunReport report = run.getValue();
                        RunStatus status = report.isFailure() ? RunStatus.Failed : RunStatus.Succeeded;
                        update.setString(1, status.name());
                        update.setObject(
                                2,
                                at(
                                        report.isFailure()
                                                ? report.failedAt()
                                                : report.reported().finishedAt()));
                        update.setObject(3, now);
                        update.setObject(4, run.getKey());
                        if (update.executeUpdate() > 0) {
                            finished.add(new Finished(run.getKey(), status));
                        }
                    }
                }
            }
        }

        /** Adds the runs finished here to their batches' counters: one random slot per batch. */
        private void countInBatches(Map<UUID, Known> known) throws SQLException {
            TreeMap<UUID, long[]> perBatch = new TreeMap<>();
            for (Finished run : finished) {
                UUID batchId = known.get(run.pipelineId()).batchId();
                if (batchId != null) {
                    perBatch.computeIfAbsent(batchId, id -> new long[2])[run.status() == RunStatus.Succeeded ? 0 : 1]++;
                }
            }
            count(perBatch);
        }

        /** Adds {succeeded, failed} per batch to one random counter slot of each. */
        private void count(Map<UUID, long[]> perBatch) throws SQLException {
            if (perBatch.isEmpty()) {
                return;
            }
            int slot = ThreadLocalRandom.current().nextInt(BATCH_SLOTS);
            try (PreparedStatement count = connection.prepareStatement(COUNT_IN_BATCH)) {
                for (Map.Entry<UUID, long[]> batch : perBatch.entrySet()) {
                    count.setLong(1, batch.getValue()[0]);
                    count.setLong(2, batch.getValue()[1]);
                    count.setObject(3, batch.getKey());
                    count.setInt(4, slot);
                    count.addBatch();
                }
                count.executeBatch();
            }
            finishedBatches.addAll(perBatch.keySet());
        }
    }

    /** Of two failure reports for one run in the same batch, the earlier failure decides. */
    private static RunReport earlierFailure(RunReport a, RunReport b) {
        if (!a.isFailure()) {
            return b;
        }
        if (!b.isFailure()) {
            return a;
        }
        return b.failedAt().isBefore(a.failedAt()) ? b : a;
    }
}
