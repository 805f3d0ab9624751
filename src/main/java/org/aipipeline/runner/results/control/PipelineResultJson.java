package org.aipipeline.runner.results.control;

import static org.aipipeline.runner.platform.entity.JsonFields.instant;
import static org.aipipeline.runner.platform.entity.JsonFields.text;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.Retrying;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * The wire form of results, built with JSON-P so it is exactly the spec's: every field present
 * (null when there is no value), timestamps ISO-8601 UTC with {@code Z}, and the stored ApElement
 * JSON of {@code initialInput} and {@code result} embedded as JSON, not as strings. In control, not
 * boundary, because the run side's endpoints (an awaited run, a cancel) answer with the very same
 * documents, and other areas use only what {@code results} publishes in control.
 */
public final class PipelineResultJson {

    private PipelineResultJson() {}

    /** {@code {"result": PipelineResult}}: the body of GET /PipelineResults/{id} and of an awaited run. */
    public static JsonObject wrapped(ResultWithSteps result) {
        return JsonCodecs.JSON.createObjectBuilder().add("result", of(result)).build();
    }

    /** {@code {"items": [PipelineResult], "pagination": {...}}}. */
    public static JsonObject page(ResultsPage page) {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("items", array(page))
                .add("pagination", pagination(page))
                .build();
    }

    /**
     * {@code {"batch": {"id", "userId", "finishedAt", "totalPipelineCount",
     * "successfullyCompletedPipelineCount", "failedPipelineCount", "pipelineResults", "pagination"}}};
     * {@code pagination} (of the embedded results) is beyond the spec.
     */
    public static JsonObject batch(BatchWithResults batchWithResults) {
        PipelineBatch batch = batchWithResults.batch();
        JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder();
        text(json, "id", batch.getId());
        text(json, "userId", batch.getUserId());
        instant(json, "finishedAt", batch.getFinishedAt());
        json.add("totalPipelineCount", batchWithResults.counts().total())
                .add(
                        "successfullyCompletedPipelineCount",
                        batchWithResults.counts().succeeded())
                .add("failedPipelineCount", batchWithResults.counts().failed())
                .add("pipelineResults", array(batchWithResults.results()))
                .add("pagination", pagination(batchWithResults.results()));
        return JsonCodecs.JSON.createObjectBuilder().add("batch", json).build();
    }

    /** The spec's {@code PipelineResult}. */
    public static JsonObject of(ResultWithSteps resultWithSteps) {
        PipelineResult result = resultWithSteps.result();
        JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder();
        text(json, "id", result.getId());
        text(json, "userId", result.getUserId());
        text(json, "pipelineId", result.getPipelineId());
        text(json, "batchId", result.getBatchId());
        json.add("status", result.getStatus().name());
        embedded(json, "initialInput", result.getInitialInput());
        instant(json, "createdAt", result.getCreatedAt());
        instant(json, "updatedAt", result.getUpdatedAt());
        instant(json, "finishedAt", result.getFinishedAt());
        JsonArrayBuilder steps = JsonCodecs.JSON.createArrayBuilder();
        resultWithSteps.steps().forEach(step -> steps.add(step(step, result.reused(step.getOrder()))));
        json.add("stepResults", steps);
        retrying(json, result.retrying());
        text(json, "rerunOf", result.getRerunOf());
        return json.build();
    }

    /** The spec's {@code StepResult}; beyond it, {@code reused}: copied from the run this one re-runs. */
    static JsonObject step(StepResult step, boolean reused) {
        JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder().add("order", step.getOrder());
        text(json, "id", step.getId());
        json.add("nodeId", step.getNodeId()).add("nodeProcedureId", step.getNodeProcedureId());
        instant(json, "finishedAt", step.getFinishedAt());
        json.add("wasSuccessful", step.isWasSuccessful());
        text(json, "outputValueSelector", step.getOutputValueSelector());
        embedded(json, "result", step.getResult());
        if (step.isWasSuccessful() || step.getFailureCode() == null) {
            json.addNull("failureReason");
        } else {
            JsonObjectBuilder reason = JsonCodecs.JSON.createObjectBuilder().add("code", step.getFailureCode());
            text(reason, "reason", step.getFailureReason());
            json.add("failureReason", reason);
        }
        json.add("attempts", step.getAttempts());
        text(json, "lastFailureReason", step.getLastFailureReason());
        json.add("reused", reused);
        return json.build();
    }

    /**
     * Beyond the spec: {@code retrying} is null unless the step the run waits for is being retried:
     * {@code {"order", "failedAttempts", "lastFailureReason", "nextAttemptAt"}} (null once dispatched).
     */
    private static void retrying(JsonObjectBuilder json, Retrying retrying) {
        if (retrying == null) {
            json.addNull("retrying");
            return;
        }
        JsonObjectBuilder retry = JsonCodecs.JSON
                .createObjectBuilder()
                .add("order", retrying.order())
                .add("failedAttempts", retrying.failedAttempts());
        text(retry, "lastFailureReason", retrying.lastFailureReason());
        instant(retry, "nextAttemptAt", retrying.nextAttemptAt());
        json.add("retrying", retry);
    }

    /**
     * The spec's six members, then (beyond it) {@code totalCountExact} (false when totalCount is an
     * estimate) and {@code nextCursor} (the {@code after} value of the next page, null on the last).
     */
    static JsonObject pagination(ResultsPage page) {
        JsonObjectBuilder json = page.pagination().toJson().add("totalCountExact", page.totalCountExact());
        text(json, "nextCursor", page.nextCursor());
        return json.build();
    }

    private static JsonArrayBuilder array(ResultsPage page) {
        JsonArrayBuilder items = JsonCodecs.JSON.createArrayBuilder();
        page.items().forEach(item -> items.add(of(item)));
        return items;
    }

    /** Stored ApElement JSON (written by the runner, so well-formed) embedded as a JSON value. */
    private static void embedded(JsonObjectBuilder json, String name, String storedJson) {
        if (storedJson == null) {
            json.addNull(name);
            return;
        }
        json.add(name, JsonCodecs.readStored(storedJson));
    }
}
