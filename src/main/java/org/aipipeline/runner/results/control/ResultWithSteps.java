package org.aipipeline.runner.results.control;

import java.util.List;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;

/** A pipeline result with its stored steps, ordered by {@code order}: everything the spec's PipelineResult shows. */
public record ResultWithSteps(PipelineResult result, List<StepResult> steps) {

    public ResultWithSteps {
        steps = List.copyOf(steps);
    }

    public RunStatus status() {
        return result.getStatus();
    }
}
