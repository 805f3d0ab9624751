package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * A node's report that a step failed, so the pipeline stops: {@code failureCode} is HTTP-like,
 * {@code remainingNotCompletedSteps} are the steps that will now never run.
 */
public record PipelineFailed(
        UUID pipelineId,
        ProcedureIdentifier procedureIdentifier,
        Instant failedAt,
        int failureCode,
        String failureReason,
        String exceptionMessage,
        List<ProcedureIdentifier> remainingNotCompletedSteps) {

    public PipelineFailed {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(procedureIdentifier, "procedureIdentifier");
        Objects.requireNonNull(failedAt, "failedAt");
        Objects.requireNonNull(failureReason, "failureReason");
        remainingNotCompletedSteps = List.copyOf(remainingNotCompletedSteps);
    }

    /** The failed step's 1-based place in the pipeline. */
    public int order() {
        return procedureIdentifier.orderInPipeline();
    }

    /**
     * Reads a message body strictly: every field but {@code exceptionMessage} must be there and of
     * the right kind.
     *
     * @throws IllegalArgumentException naming the offending field, e.g. {@code failureCode: expected an integer}
     */
    public static PipelineFailed fromJson(String body) {
        JsonObject json = MessageFields.messageObject(body, "PipelineFailed");
        return new PipelineFailed(
                MessageFields.requiredUuid(json, "pipelineId", ""),
                MessageFields.step(json.get("procedureIdentifier"), "procedureIdentifier"),
                MessageFields.requiredInstant(json, "failedAt", ""),
                MessageFields.requiredInt(json, "failureCode", ""),
                MessageFields.requiredString(json, "failureReason", ""),
                MessageFields.optionalString(json, "exceptionMessage", ""),
                MessageFields.steps(json, "remainingNotCompletedSteps", ""));
    }

    /** The wire form, with the protocol's field names (what a node publishes). */
    public String toJson() {
        JsonObjectBuilder json = JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("procedureIdentifier", procedureIdentifier.toJson())
                .add("failedAt", failedAt.toString())
                .add("failureCode", failureCode)
                .add("failureReason", failureReason);
        if (exceptionMessage == null) {
            json.addNull("exceptionMessage");
        } else {
            json.add("exceptionMessage", exceptionMessage);
        }
        return json.add("remainingNotCompletedSteps", MessageFields.toJson(remainingNotCompletedSteps))
                .build()
                .toString();
    }
}
