package org.aipipeline.runner.results.control;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What one node report says about one run: the reported step, the steps that will now never
 * run, and, for a failure, when the run failed.
 *
 * @param failedAt null for a completion; the failure time for a failure report
 */
public record RunReport(UUID pipelineId, StepRecord reported, List<StepRecord> notRun, Instant failedAt) {

    public RunReport {
        Objects.requireNonNull(pipelineId, "pipelineId");
        Objects.requireNonNull(reported, "reported");
        notRun = List.copyOf(notRun);
    }

    public static RunReport completed(UUID pipelineId, StepRecord step) {
        return new RunReport(pipelineId, step, List.of(), null);
    }

    public static RunReport failed(UUID pipelineId, StepRecord step, List<StepRecord> notRun, Instant failedAt) {
        return new RunReport(pipelineId, step, notRun, Objects.requireNonNull(failedAt, "failedAt"));
    }

    public boolean isFailure() {
        return failedAt != null;
    }
}
