package org.aipipeline.runner.pipelines.entity;

import org.aipipeline.runner.platform.entity.JsonCodecs;
import jakarta.json.JsonObject;
import java.util.Objects;
import java.util.UUID;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * A pipeline left {@code Running}. Fired as a CDI event inside the transaction that finished it and
 * announced after commit on the runner-internal {@code runner-pipeline-finished} fanout as
 * {@code {"pipelineId": "…", "status": "Succeeded|Failed"}}, so that whichever runner instance
 * holds an awaited request for it can answer (the consuming instance need not be that one).
 */
public record PipelineFinished(UUID pipelineId, RunStatus status) {

    public PipelineFinished {
        Objects.requireNonNull(pipelineId, "pipelineId");
        if (status == null || !status.isFinished()) {
            throw new IllegalArgumentException("status must be Succeeded or Failed, got " + status);
        }
    }

    public String toJson() {
        return JsonCodecs.JSON.createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("status", status.name())
                .build()
                .toString();
    }

    /** @throws IllegalArgumentException naming the offending field */
    public static PipelineFinished fromJson(String body) {
        JsonObject json = MessageFields.messageObject(body, "PipelineFinished");
        UUID pipelineId = MessageFields.requiredUuid(json, "pipelineId", "");
        String status = MessageFields.requiredString(json, "status", "");
        if (!status.equals(RunStatus.Succeeded.name()) && !status.equals(RunStatus.Failed.name())) {
            throw new IllegalArgumentException("status: expected Succeeded or Failed, got '" + status + "'");
        }
        return new PipelineFinished(pipelineId, RunStatus.valueOf(status));
    }
}
