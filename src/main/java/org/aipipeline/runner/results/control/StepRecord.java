package org.aipipeline.runner.results.control;

import java.time.Instant;

/**
 * One step's row as a node's report asks to store it: succeeded (with its result), failed (with
 * code and reason) or not run (no finish time; code and reason say why).
 */
public record StepRecord(
        int order,
        String nodeId,
        String procedureId,
        String outputValueSelector,
        Instant finishedAt,
        boolean successful,
        String resultJson,
        Integer failureCode,
        String failureReason) {

    public static StepRecord succeeded(
            int order, String nodeId, String procedureId, String selector, Instant at, String resultJson) {
        return new StepRecord(order, nodeId, procedureId, selector, at, true, resultJson, null, null);
    }

    public static StepRecord failed(
            int order, String nodeId, String procedureId, String selector, Instant at, int code, String reason) {
        return new StepRecord(order, nodeId, procedureId, selector, at, false, null, code, reason);
    }

    public static StepRecord notRun(
            int order, String nodeId, String procedureId, String selector, int code, String reason) {
        return new StepRecord(order, nodeId, procedureId, selector, null, false, null, code, reason);
    }
}
