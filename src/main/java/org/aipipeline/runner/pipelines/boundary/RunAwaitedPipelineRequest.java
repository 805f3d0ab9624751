package org.aipipeline.runner.pipelines.boundary;

import jakarta.json.JsonValue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;

/** {@code POST /Pipelines/Awaited}: a run and how long to wait for it (1..3600 seconds). */
public record RunAwaitedPipelineRequest(
        JsonValue input,
        List<PipelineStepRequest> steps,
        @NotNull @Min(1) @Max(3600) Integer timeoutSeconds,
        CallbackRequest callback) {}
