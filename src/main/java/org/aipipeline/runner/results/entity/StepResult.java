package org.aipipeline.runner.results.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What happened to one step of a run: its (selected) result, or why it failed or never ran.
 * Keyed by pipeline id and order, so a redelivered message cannot store a step twice.
 */
@Entity
@Table(name = "step_results")
@IdClass(StepResult.Key.class)
public class StepResult {

    @Id
    @Column(name = "pipeline_id")
    private UUID pipelineId;

    @Id
    @Column(name = "step_order")
    private int order;

    @Column(nullable = false)
    private UUID id;

    @Column(name = "node_id", nullable = false)
    private String nodeId;

    @Column(name = "node_procedure_id", nullable = false)
    private String nodeProcedureId;

    @Column(name = "output_value_selector")
    private String outputValueSelector;

    @Column(name = "finished_at")
    private Instant finishedAt;

    @Column(name = "was_successful", nullable = false)
    private boolean wasSuccessful;

    /** ApElement JSON; null unless the step succeeded. */
    @Column(name = "result")
    private String result;

    @Column(name = "failure_code")
    private Integer failureCode;

    @Column(name = "failure_reason")
    private String failureReason;

    /** How many attempts the step took; null for one (written by the report path, never by JPA). */
    @Column(name = "attempts", insertable = false, updatable = false)
    private Integer attempts;

    /** The reason the step's latest failed attempt gave; null when no attempt failed before the last. */
    @Column(name = "last_failure_reason", insertable = false, updatable = false)
    private String lastFailureReason;

    protected StepResult() {}

    private StepResult(
            UUID pipelineId,
            int order,
            String nodeId,
            String nodeProcedureId,
            String outputValueSelector,
            Instant finishedAt,
            boolean wasSuccessful,
            String result,
            Integer failureCode,
            String failureReason) {
        this.pipelineId = pipelineId;
        this.order = order;
        this.id = UUID.randomUUID();
        this.nodeId = nodeId;
        this.nodeProcedureId = nodeProcedureId;
        this.outputValueSelector = outputValueSelector;
        this.finishedAt = finishedAt;
        this.wasSuccessful = wasSuccessful;
        this.result = result;
        this.failureCode = failureCode;
        this.failureReason = failureReason;
    }

    public static StepResult succeeded(
            UUID pipelineId,
            int order,
            String nodeId,
            String procedureId,
            String selector,
            Instant finishedAt,
            String resultJson) {
        return new StepResult(
                pipelineId, order, nodeId, procedureId, selector, finishedAt, true, resultJson, null, null);
    }

    public static StepResult failed(
            UUID pipelineId,
            int order,
            String nodeId,
            String procedureId,
            String selector,
            Instant finishedAt,
            int code,
            String reason) {
        return new StepResult(pipelineId, order, nodeId, procedureId, selector, finishedAt, false, null, code, reason);
    }

    /** A step that will never run because an earlier one failed: no finish time. */
    public static StepResult notRun(
            UUID pipelineId, int order, String nodeId, String procedureId, String selector, int code, String reason) {
        return new StepResult(pipelineId, order, nodeId, procedureId, selector, null, false, null, code, reason);
    }

    public UUID getPipelineId() {
        return pipelineId;
    }

    public int getOrder() {
        return order;
    }

    public UUID getId() {
        return id;
    }

    public String getNodeId() {
        return nodeId;
    }

    public String getNodeProcedureId() {
        return nodeProcedureId;
    }

    public String getOutputValueSelector() {
        return outputValueSelector;
    }

    public Instant getFinishedAt() {
        return finishedAt;
    }

    public boolean isWasSuccessful() {
        return wasSuccessful;
    }

    public String getResult() {
        return result;
    }

    public Integer getFailureCode() {
        return failureCode;
    }

    public String getFailureReason() {
        return failureReason;
    }

    public int getAttempts() {
        return attempts == null ? 1 : attempts;
    }

    public String getLastFailureReason() {
        return lastFailureReason;
    }

    /** Composite key (pipeline id, order). */
    public static class Key implements Serializable {
        private UUID pipelineId;
        private int order;

        public Key() {}

        public Key(UUID pipelineId, int order) {
            this.pipelineId = pipelineId;
            this.order = order;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && order == k.order && Objects.equals(pipelineId, k.pipelineId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(pipelineId, order);
        }
    }
}
