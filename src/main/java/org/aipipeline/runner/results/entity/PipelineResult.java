package org.aipipeline.runner.results.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.platform.entity.OptionalUuidColumn;

/**
 * One run of a pipeline. Invariant: {@code status} leaves {@code Running} exactly once, and
 * {@code finishedAt} is set at that moment and never changes afterwards, whatever late or
 * duplicate messages arrive.
 */
@Entity
@Table(name = "pipeline_results")
public class PipelineResult {

    @Id
    private UUID id;

    @Column(name = "pipeline_id", nullable = false)
    private UUID pipelineId;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    /** Null unless the run is part of a batch. */
    @Column(name = "batch_id")
    @Convert(converter = OptionalUuidColumn.class)
    private UUID batchId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunStatus status;

    /** The pipeline's input as ApElement JSON. */
    @Column(name = "initial_input", nullable = false)
    private String initialInput;

    @Column(name = "step_count", nullable = false)
    private int stepCount;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "finished_at")
    private Instant finishedAt;

    /** The step the runner waits for (results.control.RunRecords moves it; read only here). */
    @Column(name = "deadline_step", insertable = false, updatable = false)
    private Integer deadlineStep;

    /** That step's deadline or, while {@link #retryDue}, when its next attempt is dispatched. */
    @Column(name = "step_deadline_at", insertable = false, updatable = false)
    private Instant stepDeadlineAt;

    /** The step whose attempts failed so far; null when none did. */
    @Column(name = "retry_step", insertable = false, updatable = false)
    private Integer retryStep;

    @Column(name = "retry_failed_attempts", insertable = false, updatable = false)
    private Integer retryFailedAttempts;

    @Column(name = "retry_last_failure", insertable = false, updatable = false)
    private String retryLastFailure;

    @Column(name = "retry_due", insertable = false, updatable = false)
    private boolean retryDue;

    /** The pipeline this run re-runs; null unless a rerun. */
    @Column(name = "rerun_of", insertable = false, updatable = false)
    @Convert(converter = OptionalUuidColumn.class)
    private UUID rerunOf;

    /** The first step a rerun dispatched; its steps before it were copied from the old run. Null unless a rerun. */
    @Column(name = "rerun_from_order", insertable = false, updatable = false)
    private Integer rerunFromOrder;

    protected PipelineResult() {}

    public PipelineResult(UUID pipelineId, UUID userId, UUID batchId, String initialInput, int stepCount, Instant now) {
        this.id = UUID.randomUUID();
        this.pipelineId = pipelineId;
        this.userId = userId;
        this.batchId = batchId;
        this.status = RunStatus.Running;
        this.initialInput = initialInput;
        this.stepCount = stepCount;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** Marks the run finished; returns false (and changes nothing) if it already was. */
    public boolean finish(RunStatus outcome, Instant at, Instant now) {
        if (status.isFinished() || !outcome.isFinished()) {
            return false;
        }
        status = outcome;
        finishedAt = at;
        updatedAt = now;
        return true;
    }

    public void touch(Instant now) {
        updatedAt = now;
    }

    public UUID getId() {
        return id;
    }

    public UUID getPipelineId() {
        return pipelineId;
    }

    public UUID getUserId() {
        return userId;
    }

    public UUID getBatchId() {
        return batchId;
    }

    public RunStatus getStatus() {
        return status;
    }

    public String getInitialInput() {
        return initialInput;
    }

    public int getStepCount() {
        return stepCount;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public Integer getDeadlineStep() {
        return deadlineStep;
    }

    public Instant getStepDeadlineAt() {
        return stepDeadlineAt;
    }

    public UUID getRerunOf() {
        return rerunOf;
    }

    /** Whether step {@code order} was copied from the run this one re-runs (not dispatched by this run). */
    public boolean reused(int order) {
        return rerunFromOrder != null && order < rerunFromOrder;
    }

    /**
     * The retry under way while the run is Running and its awaited step has failed attempts: the
     * step, how many attempts failed, why the latest did, and when the next is dispatched (null
     * once it has been); null otherwise.
     */
    public Retrying retrying() {
        if (status != RunStatus.Running || retryStep == null || deadlineStep == null || retryStep < deadlineStep) {
            return null;
        }
        return new Retrying(
                retryStep,
                retryFailedAttempts == null ? 0 : retryFailedAttempts,
                retryLastFailure,
                retryDue ? stepDeadlineAt : null);
    }
}
