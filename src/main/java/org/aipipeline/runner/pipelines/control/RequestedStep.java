package org.aipipeline.runner.pipelines.control;

/**
 * One step as the caller asked for it, before anything is known to exist.
 *
 * @param stepTimeoutSeconds how long the runner waits for this step's report; null for the configured default
 */
public record RequestedStep(String nodeId, String procedureId, String outputValueSelector, Integer stepTimeoutSeconds) {

    /** A step with the default deadline. */
    public RequestedStep(String nodeId, String procedureId, String outputValueSelector) {
        this(nodeId, procedureId, outputValueSelector, null);
    }
}
