package org.aipipeline.runner.pipelines.boundary;

import java.util.List;

/**
 * {@code POST /PipelineResults/{id}/Rerun}: from which step (null: the first that did not succeed),
 * the steps that replace that one and the rest (null: the old ones again), and whether only to
 * preview (null: no).
 */
public record RerunRequest(Integer fromOrder, List<PipelineStepRequest> steps, Boolean dryRun) {

    boolean isDryRun() {
        return Boolean.TRUE.equals(dryRun);
    }
}
