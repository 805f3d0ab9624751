package org.aipipeline.runner.pipelines.control;

import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.RunPipelineStep;
import org.aipipeline.runner.results.control.RetryPolicy;
import org.aipipeline.runner.results.control.RunCallback;

/**
 * Everything validated and decided about one request: the steps (same for every run) and, per
 * input, the pipeline id and the first message to send, and where the runs' events go (null: nowhere).
 * Nothing has been stored or sent yet.
 */
public record PipelinePlan(UUID userId, List<PlannedStep> steps, List<PlannedRun> runs, RunCallback callback) {

    public PipelinePlan {
        steps = List.copyOf(steps);
        runs = List.copyOf(runs);
    }

    /** A plan whose runs report to no callback. */
    public PipelinePlan(UUID userId, List<PlannedStep> steps, List<PlannedRun> runs) {
        this(userId, steps, runs, null);
    }

    /** The same plan, its runs reporting their events to {@code callback} (null: none). */
    public PipelinePlan withCallback(RunCallback callback) {
        return new PipelinePlan(userId, steps, runs, callback);
    }

    /** A step with the procedure it resolved to, how long the runner waits for its report, and its retries (null: none). */
    public record PlannedStep(
            ProcedureIdentifier identifier, RegisteredProcedure procedure, int timeoutSeconds, RetryPolicy retry) {}

    /** One run: its id, input and the RunPipelineStep that starts it. */
    public record PlannedRun(UUID pipelineId, ApElement input, RunPipelineStep firstStep) {}

    public List<ProcedureIdentifier> identifiers() {
        return steps.stream().map(PlannedStep::identifier).toList();
    }
}
