package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * A pipeline left {@code Running}. Announced after the commit that finished it on the
 * runner-internal {@code runner-pipeline-finished} fanout, many at a time, as
 * {@code {"finished": [{"pipelineId": "…", "status": "Succeeded|Failed|Cancelled"}, …]}}, so that whichever
 * runner instance holds an awaited request for one of them can answer (the consuming instance
 * need not be that one). A single {@code {"pipelineId", "status"}} object is read as well.
 */
public record PipelineFinished(UUID pipelineId, RunStatus status) {

    public PipelineFinished {
        Objects.requireNonNull(pipelineId, "pipelineId");
        if (status == null || !status.isFinished()) {
            throw new IllegalArgumentException("status must be Succeeded, Failed or Cancelled, got " + status);
        }
    }

    public String toJson() {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("status", status.name())
                .build()
                .toString();
    }

    /** The announcement of several finished pipelines. */
    public static String toJson(List<PipelineFinished> finished) {
        JsonArrayBuilder list = JsonCodecs.JSON.createArrayBuilder();
        finished.forEach(run -> list.add(JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", run.pipelineId().toString())
                .add("status", run.status().name())));
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("finished", list)
                .build()
                .toString();
    }

    /** Every pipeline an announcement names. @throws IllegalArgumentException naming the offending field */
    public static List<PipelineFinished> listFromJson(String body) {
        JsonObject json = MessageFields.messageObject(body, "PipelineFinished");
        if (!json.containsKey("finished")) {
            return List.of(fromJson(json, ""));
        }
        JsonArray array = MessageFields.requiredArray(json, "finished", "");
        List<PipelineFinished> finished = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonObject run)) {
                throw new IllegalArgumentException("finished[" + i + "]: expected an object");
            }
            finished.add(fromJson(run, "finished[" + i + "]"));
        }
        return finished;
    }

    /** @throws IllegalArgumentException naming the offending field */
    public static PipelineFinished fromJson(String body) {
        return fromJson(MessageFields.messageObject(body, "PipelineFinished"), "");
    }

    private static PipelineFinished fromJson(JsonObject json, String path) {
        UUID pipelineId = MessageFields.requiredUuid(json, "pipelineId", path);
        String status = MessageFields.requiredString(json, "status", path);
        if (!status.equals(RunStatus.Succeeded.name())
                && !status.equals(RunStatus.Failed.name())
                && !status.equals(RunStatus.Cancelled.name())) {
            throw new IllegalArgumentException("status: expected Succeeded, Failed or Cancelled, got '" + status + "'");
        }
        return new PipelineFinished(pipelineId, RunStatus.valueOf(status));
    }
}
