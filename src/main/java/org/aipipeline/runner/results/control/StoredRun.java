package org.aipipeline.runner.results.control;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.Retrying;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * What another area may read of a stored run: values copied out of the rows, so the JPA entities
 * (which only the {@code results} area writes) never leave it.
 */
public record StoredRun(
        UUID pipelineId,
        RunStatus status,
        String initialInputJson,
        Instant finishedAt,
        Integer deadlineStep,
        Instant stepDeadlineAt,
        Retrying retrying,
        List<Step> steps) {

    public StoredRun {
        steps = List.copyOf(steps);
    }

    /** One stored step row, as {@link StepResult} holds it. */
    public record Step(
            int order,
            String nodeId,
            String procedureId,
            String outputValueSelector,
            Instant finishedAt,
            boolean successful,
            String resultJson,
            Integer failureCode,
            String failureReason,
            int attempts,
            String lastFailureReason) {

        static Step of(StepResult row) {
            return new Step(
                    row.getOrder(),
                    row.getNodeId(),
                    row.getNodeProcedureId(),
                    row.getOutputValueSelector(),
                    row.getFinishedAt(),
                    row.isWasSuccessful(),
                    row.getResult(),
                    row.getFailureCode(),
                    row.getFailureReason(),
                    row.getAttempts(),
                    row.getLastFailureReason());
        }
    }

    static StoredRun of(ResultWithSteps stored) {
        PipelineResult run = stored.result();
        return new StoredRun(
                run.getPipelineId(),
                run.getStatus(),
                run.getInitialInput(),
                run.getFinishedAt(),
                run.getDeadlineStep(),
                run.getStepDeadlineAt(),
                run.retrying(),
                stored.steps().stream().map(Step::of).toList());
    }
}
