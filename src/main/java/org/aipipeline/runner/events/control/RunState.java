package org.aipipeline.runner.events.control;

import java.time.Instant;
import java.util.List;
import org.aipipeline.runner.results.control.ResultWithSteps;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.Retrying;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * What the events of a run are derived from: its stored result and step rows, as plain values
 * (the entities' retry columns are read-only, so tests could not build them).
 *
 * @param plan     the steps as dispatched (node, procedure); empty for runs recorded before step plans
 * @param retrying the retry under way ({@link PipelineResult#retrying()}), or null
 * @param steps    the stored step rows, any order
 */
public record RunState(
        RunStatus status, Instant finishedAt, int stepCount, List<Planned> plan, Retrying retrying, List<Step> steps) {

    /** Where one step was dispatched. */
    public record Planned(String nodeId, String procedureId) {}

    /**
     * One stored step row; {@code finishedAt} null = never ran (a step after a failure, or of a
     * cancelled run).
     */
    public record Step(
            int order,
            String nodeId,
            String procedureId,
            boolean successful,
            Instant finishedAt,
            String resultJson,
            Integer failureCode,
            String failureReason,
            int attempts,
            String lastFailureReason) {}

    public RunState {
        plan = List.copyOf(plan);
        steps = List.copyOf(steps);
    }

    /** The state of a stored run dispatched as {@code stepPlan} (null for runs recorded before step plans). */
    public static RunState of(ResultWithSteps stored, StepPlan stepPlan) {
        PipelineResult result = stored.result();
        List<Planned> plan = stepPlan == null
                ? List.of()
                : stepPlan.steps().stream()
                        .map(step -> new Planned(step.nodeId(), step.procedureId()))
                        .toList();
        List<Step> steps = stored.steps().stream().map(RunState::step).toList();
        return new RunState(
                result.getStatus(), result.getFinishedAt(), result.getStepCount(), plan, result.retrying(), steps);
    }

    private static Step step(StepResult row) {
        return new Step(
                row.getOrder(),
                row.getNodeId(),
                row.getNodeProcedureId(),
                row.isWasSuccessful(),
                row.getFinishedAt(),
                row.getResult(),
                row.getFailureCode(),
                row.getFailureReason(),
                row.getAttempts(),
                row.getLastFailureReason());
    }
}
