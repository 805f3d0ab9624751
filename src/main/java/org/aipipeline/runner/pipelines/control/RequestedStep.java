package org.aipipeline.runner.pipelines.control;

/** One step as the caller asked for it, before anything is known to exist. */
public record RequestedStep(String nodeId, String procedureId, String outputValueSelector) {
}
