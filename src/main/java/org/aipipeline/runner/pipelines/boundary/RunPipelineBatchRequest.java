package org.aipipeline.runner.pipelines.boundary;

import jakarta.json.JsonValue;
import java.util.List;

/** {@code POST /Pipelines/Batch}: many inputs through the same steps. */
public record RunPipelineBatchRequest(
        List<JsonValue> inputs, List<PipelineStepRequest> steps, CallbackRequest callback) {}
