package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * A node's report that one step ran: {@code result} is the procedure's output with the step's
 * {@code outputValueSelector} already applied. Empty {@code nextSteps} means the node believes the
 * pipeline is finished (the runner decides by the stored step count, not by this).
 */
public record StepCompleted(
        UUID pipelineId,
        ProcedureIdentifier procedureIdentifier,
        Instant completedAt,
        ApElement result,
        List<ProcedureIdentifier> nextSteps) {

    public StepCompleted {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(procedureIdentifier, "procedureIdentifier");
        Objects.requireNonNull(completedAt, "completedAt");
        Objects.requireNonNull(result, "result");
        nextSteps = List.copyOf(nextSteps);
    }

    /** The step's 1-based place in the pipeline. */
    public int order() {
        return procedureIdentifier.orderInPipeline();
    }

    /**
     * Reads a message body strictly: every field must be there and of the right kind.
     *
     * @throws IllegalArgumentException naming the offending field, e.g. {@code completedAt: not an ISO-8601 date-time}
     */
    public static StepCompleted fromJson(String body) {
        JsonObject json = MessageFields.messageObject(body, "StepCompleted");
        return new StepCompleted(
                MessageFields.requiredUuid(json, "pipelineId", ""),
                MessageFields.step(json.get("procedureIdentifier"), "procedureIdentifier"),
                MessageFields.requiredInstant(json, "completedAt", ""),
                MessageFields.element(json, "result", ""),
                MessageFields.steps(json, "nextSteps", ""));
    }

    /** The wire form, with the protocol's field names (what a node publishes). */
    public String toJson() {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("procedureIdentifier", procedureIdentifier.toJson())
                .add("completedAt", completedAt.toString())
                .add("result", MessageFields.toJson(result))
                .add("nextSteps", MessageFields.toJson(nextSteps))
                .build()
                .toString();
    }
}
