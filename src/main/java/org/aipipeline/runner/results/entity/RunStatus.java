package org.aipipeline.runner.results.entity;

/** Where a pipeline run stands; the names are the wire values of {@code PipelineResult.status}. */
public enum RunStatus {
    Running,
    Succeeded,
    Failed,
    /** Stopped by its owner (POST /Pipelines/{id}/Cancel); its remaining steps are recorded as not run. */
    Cancelled;

    public boolean isFinished() {
        return this != Running;
    }
}
