package org.aipipeline.runner.pipelines.boundary;

import org.aipipeline.runner.pipelines.control.RequestedStep;

/**
 * One step of a request. Blank names are reported by the planner together with every other
 * problem of the request, so no Bean Validation constraints here.
 */
public record PipelineStepRequest(
        String nodeId,
        String procedureId,
        String outputValueSelector,
        Integer stepTimeoutSeconds,
        RequestedStep.Retry retry) {

    RequestedStep toRequested() {
        return new RequestedStep(nodeId, procedureId, outputValueSelector, stepTimeoutSeconds, retry);
    }
}
