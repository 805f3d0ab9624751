package org.aipipeline.runner.pipelines.boundary;

import jakarta.json.JsonValue;
import java.util.List;
import org.aipipeline.runner.pipelines.control.RequestedStep;

/** {@code POST /Pipelines}: the input as ApElement JSON (read by the planner, errors with paths) and the steps. */
public record RunPipelineRequest(JsonValue input, List<PipelineStepRequest> steps, CallbackRequest callback) {

    static List<RequestedStep> requested(List<PipelineStepRequest> steps) {
        return steps == null
                ? List.of()
                : steps.stream()
                        .map(step -> step == null ? null : step.toRequested())
                        .toList();
    }
}
