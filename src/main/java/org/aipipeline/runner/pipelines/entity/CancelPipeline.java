package org.aipipeline.runner.pipelines.entity;

import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * The runner's announcement that a pipeline was cancelled, on the {@code pipeline-cancellations}
 * fanout: {@code {"pipelineId": "…", "cancelledAt": "…Z"}}. An extension of the node protocol: a
 * node may stop the pipeline's step and not report it; a report it sends anyway is acknowledged
 * and not recorded.
 */
public record CancelPipeline(UUID pipelineId, Instant cancelledAt) {

    public String toJson() {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("cancelledAt", cancelledAt.toString())
                .build()
                .toString();
    }
}
