package org.aipipeline.runner.pipelines.control;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.pipelines.entity.PipelineFailed;
import org.aipipeline.runner.pipelines.entity.PipelineFinished;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.StepCompleted;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * Records what nodes report, one report per transaction. Invariant: every report for a pipeline
 * is applied while holding that pipeline's result row locked ({@code select … for update}), so
 * concurrent and redelivered reports are applied one after the other and each sees what the
 * previous stored; that makes "store once per (pipeline, order)" a plain existence check.
 * The rules themselves live in {@link RunProgress}; this class only loads, locks and stores.
 */
@Stateless
public class StepOutcomes {

    private static final System.Logger LOG = System.getLogger(StepOutcomes.class.getName());
    private static final ApElementJson ELEMENTS = new ApElementJson();
    /** Slots per batch in {@code pipeline_batch_counts} (V5); the run picks one by its id. */
    static final int BATCH_COUNT_SLOTS = 8;

    @PersistenceContext
    EntityManager em;

    @Inject
    Event<PipelineFinished> pipelineFinished;

    /**
     * Stores a completed step (once) and finishes the run when it was the last missing one.
     *
     * @throws RunnerException.NotFound no such pipeline (the message is dead-lettered)
     * @throws RunnerException.Invalid  the step's order is not one of the pipeline's steps
     */
    public void recordCompletion(StepCompleted report) {
        PipelineResult run = lockedRun(report.pipelineId());
        RunProgress.Decision decision = progressOf(run).completed(report.order(), report.completedAt());
        ProcedureIdentifier step = report.procedureIdentifier();
        if (decision.store().contains(step.orderInPipeline())) {
            em.persist(StepResult.succeeded(run.getPipelineId(), step.orderInPipeline(), step.nodeId(), step.procedureId(),
                    step.outputValueSelector(), report.completedAt(), ELEMENTS.print(report.result())));
        }
        apply(run, decision);
    }

    /**
     * Stores the failed step and the steps that will never run (each only where nothing is stored
     * yet) and finishes a running run as Failed.
     *
     * @throws RunnerException.NotFound no such pipeline (the message is dead-lettered)
     * @throws RunnerException.Invalid  the failed step's order is not one of the pipeline's steps
     */
    public void recordFailure(PipelineFailed report) {
        PipelineResult run = lockedRun(report.pipelineId());
        List<Integer> remainingOrders = report.remainingNotCompletedSteps().stream()
                .map(ProcedureIdentifier::orderInPipeline).toList();
        RunProgress.Decision decision = progressOf(run).failed(report.order(), report.failedAt(), remainingOrders);
        ProcedureIdentifier failed = report.procedureIdentifier();
        if (decision.store().contains(failed.orderInPipeline())) {
            em.persist(StepResult.failed(run.getPipelineId(), failed.orderInPipeline(), failed.nodeId(), failed.procedureId(),
                    failed.outputValueSelector(), report.failedAt(), report.failureCode(), failureReason(report)));
        }
        String notRunReason = "Not run: step " + failed.orderInPipeline() + " failed";
        for (ProcedureIdentifier remaining : report.remainingNotCompletedSteps()) {
            if (decision.store().contains(remaining.orderInPipeline()) && remaining.orderInPipeline() != failed.orderInPipeline()) {
                em.persist(StepResult.notRun(run.getPipelineId(), remaining.orderInPipeline(), remaining.nodeId(),
                        remaining.procedureId(), remaining.outputValueSelector(), report.failureCode(), notRunReason));
            }
        }
        apply(run, decision);
    }

    /** The node's reason, with the exception message after it when the node sent one. */
    static String failureReason(PipelineFailed report) {
        String exception = report.exceptionMessage();
        return exception == null || exception.isBlank() ? report.failureReason() : report.failureReason() + ": " + exception;
    }

    private PipelineResult lockedRun(UUID pipelineId) {
        return em.createQuery("select r from PipelineResult r where r.pipelineId = :pipelineId", PipelineResult.class)
                .setParameter("pipelineId", pipelineId)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .getResultStream()
                .findFirst()
                .orElseThrow(() -> new RunnerException.NotFound("No pipeline with id " + pipelineId));
    }

    private RunProgress progressOf(PipelineResult run) {
        Map<Integer, RunProgress.Stored> stored = new HashMap<>();
        em.createQuery("select s from StepResult s where s.pipelineId = :pipelineId", StepResult.class)
                .setParameter("pipelineId", run.getPipelineId())
                .getResultList()
                .forEach(step -> stored.put(step.getOrder(), new RunProgress.Stored(step.isWasSuccessful(), step.getFinishedAt())));
        return new RunProgress(run.getStatus(), run.getStepCount(), stored);
    }

    private void apply(PipelineResult run, RunProgress.Decision decision) {
        decision.ignored().forEach(why -> LOG.log(Level.DEBUG, "Pipeline {0}: {1}", run.getPipelineId(), why));
        Instant now = DatabaseTime.now();
        RunProgress.Finish finish = decision.finish();
        if (finish != null && run.finish(finish.status(), finish.at(), now)) {
            LOG.log(Level.DEBUG, "Pipeline {0} {1} at {2}", run.getPipelineId(), finish.status(), finish.at());
            em.flush(); // the batch's count below must see this run as finished
            if (run.getBatchId() != null) {
                countFinishedInBatch(em, run, finish.status());
                finishBatchIfDone(run.getBatchId());
            }
            pipelineFinished.fire(new PipelineFinished(run.getPipelineId(), finish.status()));
        } else if (decision.changesAnything()) {
            run.touch(now);
        }
        em.flush();
    }

    /**
     * Adds a finished run to one of its batch's count slots, the one its pipeline id picks, so
     * concurrent finishing runs of a batch mostly update different rows. Called once per run, in
     * the transaction that finishes it.
     */
    static void countFinishedInBatch(EntityManager em, PipelineResult run, RunStatus outcome) {
        String column = outcome == RunStatus.Succeeded ? "succeeded" : "failed";
        em.createNativeQuery("update pipeline_batch_counts set " + column + " = " + column + " + 1 "
                        + "where batch_id = ? and slot = ?")
                .setParameter(1, run.getBatchId())
                .setParameter(2, Math.floorMod(run.getPipelineId().hashCode(), BATCH_COUNT_SLOTS))
                .executeUpdate();
    }

    /**
     * Sets the batch's finish time once none of its results is running. The batch row is locked
     * first: two of its last pipelines finishing concurrently would otherwise each still see the
     * other running and neither would finish the batch. The lock serializes them, and the second
     * one's count (a new statement, so a fresh read-committed snapshot) sees the first's commit.
     */
    private void finishBatchIfDone(UUID batchId) {
        PipelineBatch batch = em.find(PipelineBatch.class, batchId, LockModeType.PESSIMISTIC_WRITE);
        if (batch == null || batch.getFinishedAt() != null) {
            return;
        }
        long running = em.createQuery(
                        "select count(r) from PipelineResult r where r.batchId = :batchId and r.status = :running", Long.class)
                .setParameter("batchId", batchId)
                .setParameter("running", RunStatus.Running)
                .getSingleResult();
        if (running > 0) {
            return;
        }
        // Guard against a batch whose results are still being created: all of them must exist.
        long results = em.createQuery("select count(r) from PipelineResult r where r.batchId = :batchId", Long.class)
                .setParameter("batchId", batchId)
                .getSingleResult();
        if (results < batch.getTotalPipelineCount()) {
            return;
        }
        Instant lastFinish = em.createQuery("select r.finishedAt from PipelineResult r where r.batchId = :batchId "
                        + "and r.finishedAt is not null order by r.finishedAt desc", Instant.class)
                .setParameter("batchId", batchId)
                .setMaxResults(1)
                .getResultStream()
                .findFirst()
                .orElse(DatabaseTime.now());
        batch.finish(lastFinish);
        LOG.log(Level.DEBUG, "Batch {0} finished at {1}", batchId, lastFinish);
    }
}
