package org.aipipeline.runner.pipelines.boundary;

import org.aipipeline.runner.platform.entity.JsonCodecs;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.pipelines.control.PipelinePlan;
import org.aipipeline.runner.pipelines.control.PipelineStarts;

/** The spec's {@code Pipeline} and batch bodies, built with JSON-P so ApElements stay JSON objects. */
final class PipelineJson {

    private static final ApElementJson AP_JSON = new ApElementJson();

    private PipelineJson() {
    }

    /** {@code {"pipeline": Pipeline}} for the single run of {@code plan}. */
    static JsonObject wrapped(PipelinePlan plan) {
        PipelinePlan.PlannedRun run = plan.runs().get(0);
        JsonArrayBuilder steps = JsonCodecs.JSON.createArrayBuilder();
        for (PipelinePlan.PlannedStep step : plan.steps()) {
            var identifier = step.identifier();
            JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder()
                    .add("id", stepId(run.pipelineId(), identifier.orderInPipeline()).toString())
                    .add("nodeId", identifier.nodeId())
                    .add("nodeProcedureId", identifier.procedureId())
                    .add("schemaVersion", step.procedure().schemaVersion() == null ? "" : step.procedure().schemaVersion())
                    .add("order", identifier.orderInPipeline());
            if (identifier.outputValueSelector() == null) {
                json.addNull("outputValueSelector");
            } else {
                json.add("outputValueSelector", identifier.outputValueSelector());
            }
            steps.add(json.add("inputSchema", AP_JSON.toJsonObject(step.procedure().input()))
                    .add("outputSchema", AP_JSON.toJsonObject(step.procedure().output())));
        }
        JsonObject pipeline = JsonCodecs.JSON.createObjectBuilder()
                .add("id", run.pipelineId().toString())
                .add("ownerId", plan.userId().toString())
                .add("input", AP_JSON.toJsonObject(run.input()))
                .add("steps", steps)
                .build();
        return JsonCodecs.JSON.createObjectBuilder().add("pipeline", pipeline).build();
    }

    /** Steps are not stored apart from the run, so their id is derived: stable for the same run and order. */
    static UUID stepId(UUID pipelineId, int order) {
        return UUID.nameUUIDFromBytes((pipelineId + "/" + order).getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject batch(PipelineStarts.BatchStarted started) {
        return JsonCodecs.JSON.createObjectBuilder().add("batch", JsonCodecs.JSON.createObjectBuilder()
                .add("pipelineBatchId", started.pipelineBatchId().toString())
                .add("userId", started.userId().toString())
                .add("totalPipelineCount", started.totalPipelineCount())).build();
    }
}
