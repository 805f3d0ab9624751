package org.aipipeline.runner.pipelines.control;

import java.util.List;

/**
 * One step as the caller asked for it, before anything is known to exist.
 *
 * @param stepTimeoutSeconds how long the runner waits for this step's report; null for the configured default
 * @param retry              how a failed attempt is tried again; null for never
 */
public record RequestedStep(
        String nodeId, String procedureId, String outputValueSelector, Integer stepTimeoutSeconds, Retry retry) {

    /** A step with the default deadline, never retried. */
    public RequestedStep(String nodeId, String procedureId, String outputValueSelector) {
        this(nodeId, procedureId, outputValueSelector, null, null);
    }

    /** A step never retried. */
    public RequestedStep(String nodeId, String procedureId, String outputValueSelector, Integer stepTimeoutSeconds) {
        this(nodeId, procedureId, outputValueSelector, stepTimeoutSeconds, null);
    }

    /**
     * The step's {@code retry} as sent, checked by the planner: {@code maxAttempts} 1..10 (required),
     * {@code backoffSeconds} 0..3600 (default 1), {@code onCodes} 100..599 (default: any 5xx).
     */
    public record Retry(Integer maxAttempts, Double backoffSeconds, List<Integer> onCodes) {}
}
