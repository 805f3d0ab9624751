package org.aipipeline.runner.pipelines.boundary;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.pipelines.control.PipelinePlan;
import org.aipipeline.runner.pipelines.control.PipelineStarts;
import org.aipipeline.runner.pipelines.control.RequestedStep;
import org.aipipeline.runner.pipelines.control.RerunChain;
import org.aipipeline.runner.pipelines.control.Reruns;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.StoredRun;

/** The spec's {@code Pipeline} and batch bodies, built with JSON-P so ApElements stay JSON objects. */
final class PipelineJson {

    private static final ApElementJson AP_JSON = new ApElementJson();

    private PipelineJson() {}

    /** {@code {"pipeline": Pipeline}} for the single run of {@code plan}. */
    static JsonObject wrapped(PipelinePlan plan) {
        PipelinePlan.PlannedRun run = plan.runs().get(0);
        JsonArrayBuilder steps = JsonCodecs.JSON.createArrayBuilder();
        for (PipelinePlan.PlannedStep step : plan.steps()) {
            var identifier = step.identifier();
            JsonObjectBuilder json = JsonCodecs.JSON
                    .createObjectBuilder()
                    .add(
                            "id",
                            stepId(run.pipelineId(), identifier.orderInPipeline())
                                    .toString())
                    .add("nodeId", identifier.nodeId())
                    .add("nodeProcedureId", identifier.procedureId())
                    .add(
                            "schemaVersion",
                            step.procedure().schemaVersion() == null
                                    ? ""
                                    : step.procedure().schemaVersion())
                    .add("order", identifier.orderInPipeline());
            if (identifier.outputValueSelector() == null) {
                json.addNull("outputValueSelector");
            } else {
                json.add("outputValueSelector", identifier.outputValueSelector());
            }
            steps.add(json.add(
                            "inputSchema", AP_JSON.toJsonObject(step.procedure().input()))
                    .add("outputSchema", AP_JSON.toJsonObject(step.procedure().output())));
        }
        JsonObject pipeline = JsonCodecs.JSON
                .createObjectBuilder()
                .add("id", run.pipelineId().toString())
                .add("ownerId", plan.userId().toString())
                .add("input", AP_JSON.toJsonObject(run.input()))
                .add("steps", steps)
                .build();
        return JsonCodecs.JSON.createObjectBuilder().add("pipeline", pipeline).build();
    }

    /**
     * A started rerun: {@code {"pipeline": Pipeline}} whose {@code input} is the run's input (the old
     * run's), whose {@code steps} are the steps that run, plus {@code rerunOf} and {@code fromOrder}.
     */
    static JsonObject rerun(Reruns.Rerun rerun) {
        JsonObject pipeline = JsonCodecs.JSON
                .createObjectBuilder(wrapped(rerun.plan()).getJsonObject("pipeline"))
                .add("input", JsonCodecs.readStored(rerun.initialInputJson()))
                .add("rerunOf", rerun.rerunOf().toString())
                .add("fromOrder", rerun.chain().fromOrder())
                .build();
        return JsonCodecs.JSON.createObjectBuilder().add("pipeline", pipeline).build();
    }

    /**
     * A dry run's answer: {@code {"dryRun": true, "rerunOf", "fromOrder", "valid", "steps": [{"order",
     * "nodeId", "procedureId", "outputValueSelector", "action": "reuse"|"run", "result" (reused: the
     * stored ApElement, else null), "nodeAvailable" (steps that run, else null)}], "errors": [FieldError]}}.
     */
    static JsonObject rerunPlan(Reruns.Preview preview) {
        JsonArrayBuilder steps = JsonCodecs.JSON.createArrayBuilder();
        RerunChain chain = preview.chain();
        if (chain != null) {
            for (StoredRun.Step reused : chain.reused()) {
                JsonObjectBuilder step = planStep(
                        reused.order(), reused.nodeId(), reused.procedureId(), reused.outputValueSelector(), "reuse");
                steps.add(step.add("result", JsonCodecs.readStored(reused.resultJson()))
                        .addNull("nodeAvailable"));
            }
            for (int i = 0; i < chain.toRun().size(); i++) {
                RequestedStep toRun = chain.toRun().get(i);
                JsonObjectBuilder step = toRun == null
                        ? planStep(chain.fromOrder() + i, null, null, null, "run")
                        : planStep(
                                chain.fromOrder() + i,
                                toRun.nodeId(),
                                toRun.procedureId(),
                                toRun.outputValueSelector(),
                                "run");
                steps.add(step.addNull("result")
                        .add("nodeAvailable", preview.nodeAvailable().get(i)));
            }
        }
        JsonArrayBuilder errors = JsonCodecs.JSON.createArrayBuilder();
        for (FieldError error : preview.errors()) {
            errors.add(JsonCodecs.JSON
                    .createObjectBuilder()
                    .add("field", error.field())
                    .add("message", error.message()));
        }
        JsonObjectBuilder plan = JsonCodecs.JSON
                .createObjectBuilder()
                .add("dryRun", true)
                .add("rerunOf", preview.rerunOf().toString());
        if (preview.fromOrder() == null) {
            plan.addNull("fromOrder");
        } else {
            plan.add("fromOrder", preview.fromOrder());
        }
        return plan.add("valid", preview.valid())
                .add("steps", steps)
                .add("errors", errors)
                .build();
    }

    private static JsonObjectBuilder planStep(
            int order, String nodeId, String procedureId, String selector, String action) {
        JsonObjectBuilder step = JsonCodecs.JSON.createObjectBuilder().add("order", order);
        text(step, "nodeId", nodeId);
        text(step, "procedureId", procedureId);
        text(step, "outputValueSelector", selector == null || selector.isEmpty() ? null : selector);
        return step.add("action", action);
    }

    private static void text(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }

    /** Steps are not stored apart from the run, so their id is derived: stable for the same run and order. */
    static UUID stepId(UUID pipelineId, int order) {
        return UUID.nameUUIDFromBytes((pipelineId + "/" + order).getBytes(StandardCharsets.UTF_8));
    }

    static JsonObject batch(PipelineStarts.BatchStarted started) {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add(
                        "batch",
                        JsonCodecs.JSON
                                .createObjectBuilder()
                                .add(
                                        "pipelineBatchId",
                                        started.pipelineBatchId().toString())
                                .add("userId", started.userId().toString())
                                .add("totalPipelineCount", started.totalPipelineCount()))
                .build();
    }
}
