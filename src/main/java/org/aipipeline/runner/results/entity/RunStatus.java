package org.aipipeline.runner.results.entity;

/** Where a pipeline run stands; the names are the wire values of {@code PipelineResult.status}. */
public enum RunStatus {
    Running,
    Succeeded,
    Failed;

    public boolean isFinished() {
        return this != Running;
    }
}
