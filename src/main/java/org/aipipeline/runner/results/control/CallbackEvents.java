package org.aipipeline.runner.results.control;

import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * The JSON a callback receives for each event: {@code {"event", "pipelineId", "at", ...}}, with what
 * the event is about (documented in the README next to the signature). Pure.
 */
final class CallbackEvents {

    private CallbackEvents() {}

    /** A delivery to queue: the run, the event and its body. */
    record Delivery(UUID pipelineId, String event, String body) {}

    static Delivery finished(UUID pipelineId, RunStatus status, Instant at) {
        return new Delivery(
                pipelineId,
                "finished",
                base("finished", pipelineId, at)
                        .add("status", status.name())
                        .build()
                        .toString());
    }

    /** A stored step: step-succeeded with its result, or step-failed with its failure. */
    static Delivery step(UUID pipelineId, StepRecord step, Instant at) {
        String event = step.successful() ? "step-succeeded" : "step-failed";
        JsonObjectBuilder json = base(event, pipelineId, at)
                .add("order", step.order())
                .add("nodeId", step.nodeId())
                .add("procedureId", step.procedureId());
        if (step.successful()) {
            json.add("result", JsonCodecs.readStored(step.resultJson()));
        } else {
            JsonObjectBuilder reason = JsonCodecs.JSON.createObjectBuilder().add("code", step.failureCode());
            json.add(
                    "failureReason",
                    step.failureReason() == null
                            ? reason.addNull("reason")
                            : reason.add("reason", step.failureReason()));
        }
        return new Delivery(pipelineId, event, json.build().toString());
    }

    static Delivery retrying(
            UUID pipelineId, StepRecord failed, int failedAttempts, Instant nextAttemptAt, Instant at) {
        JsonObjectBuilder json = base("retrying", pipelineId, at)
                .add("order", failed.order())
                .add("failedAttempts", failedAttempts)
                .add("nextAttemptAt", nextAttemptAt.toString());
        json.add("lastFailureReason", failed.failureReason() == null ? "" : failed.failureReason());
        return new Delivery(pipelineId, "retrying", json.build().toString());
    }

    private static JsonObjectBuilder base(String event, UUID pipelineId, Instant at) {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("event", event)
                .add("pipelineId", pipelineId.toString())
                .add("at", at.toString());
    }
}
