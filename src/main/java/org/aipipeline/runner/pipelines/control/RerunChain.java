package org.aipipeline.runner.pipelines.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RetryPolicy;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.control.StoredRun;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * Which steps of a finished run a rerun reuses and which it runs, decided in data. The rules:
 * <ul>
 *   <li>{@code fromOrder} defaults to the first step without a successful row (a missing row or a
 *       failed one); on a Succeeded run to 1, everything runs again.</li>
 *   <li>{@code fromOrder} is 1..stepCount of the old run, and every step before it succeeded: it is
 *       reused with its stored result, node, procedure, selector, timeout and retry policy.</li>
 *   <li>The steps that run are the request's {@code steps} when given, else the old run's steps
 *       from {@code fromOrder} on, as they were dispatched (its step plan).</li>
 *   <li>Step {@code fromOrder} starts on the old run's input when it is 1, else on the stored result
 *       of the step before it (already the selected output, as a node would have forwarded it).</li>
 * </ul>
 *
 * @param reused     the old run's rows of steps 1..fromOrder-1, to copy
 * @param reusedPlan how those steps were dispatched, to head the new run's step plan
 * @param toRun      the steps from {@code fromOrder} on, for the planner
 * @param inputJson  the input of step {@code fromOrder} as ApElement JSON
 */
public record RerunChain(
        int fromOrder,
        List<StoredRun.Step> reused,
        List<StepPlan.Step> reusedPlan,
        List<RequestedStep> toRun,
        String inputJson) {

    public RerunChain {
        reused = List.copyOf(reused);
        reusedPlan = List.copyOf(reusedPlan);
        toRun = new ArrayList<>(toRun); // may hold null entries, reported by the planner
    }

    /**
     * @param plan        the old run's step plan
     * @param stored      the old run's step rows
     * @param fromOrder   the requested first step to run; null for the default
     * @param replacement the request's steps; null to run the old ones again
     * @throws RunnerException.Conflict     the old run is still Running
     * @throws RunnerException.Invalid      {@code fromOrder} out of range, or a step before it cannot be reused
     */
    public static RerunChain of(
            String pipelineId,
            RunStatus status,
            String initialInputJson,
            StepPlan plan,
            List<StoredRun.Step> stored,
            Integer fromOrder,
            List<RequestedStep> replacement) {
        if (status == RunStatus.Running) {
            throw new RunnerException.Conflict("Pipeline " + pipelineId + " is still Running; only a finished "
                    + "(Succeeded, Failed or Cancelled) pipeline can be re-run: cancel it first or wait for it");
        }
        int stepCount = plan.steps().size();
        Map<Integer, StoredRun.Step> byOrder = new HashMap<>();
        stored.forEach(step -> byOrder.put(step.order(), step));
        int from = fromOrder == null ? defaultFrom(status, stepCount, byOrder) : fromOrder;
        if (from < 1 || from > stepCount) {
            throw new RunnerException.Invalid(
                    "fromOrder",
                    "must be 1.." + stepCount + " (the steps of pipeline " + pipelineId + "), got " + from);
        }
        List<StoredRun.Step> reused = new ArrayList<>(from - 1);
        for (int order = 1; order < from; order++) {
            StoredRun.Step step = byOrder.get(order);
            String why = whyNotReusable(step);
            if (why != null) {
                throw new RunnerException.Invalid(
                        "fromOrder",
                        "step " + order + " cannot be reused: " + why + "; re-run from step " + order + " or earlier");
            }
            reused.add(step);
        }
        List<RequestedStep> toRun = new ArrayList<>();
        if (replacement != null) {
            toRun.addAll(replacement);
        } else {
            for (int order = from; order <= stepCount; order++) {
                toRun.add(requested(plan.step(order)));
            }
        }
        String input = from == 1 ? initialInputJson : byOrder.get(from - 1).resultJson();
        return new RerunChain(from, reused, plan.steps().subList(0, from - 1), toRun, input);
    }

    /** The first step without a successful row; 1 for a Succeeded run (all of it again). */
    static int defaultFrom(RunStatus status, int stepCount, Map<Integer, StoredRun.Step> byOrder) {
        if (status == RunStatus.Succeeded) {
            return 1;
        }
        for (int order = 1; order <= stepCount; order++) {
            StoredRun.Step step = byOrder.get(order);
            if (step == null || !step.successful()) {
                return order;
            }
        }
        return 1;
    }

    private static String whyNotReusable(StoredRun.Step step) {
        if (step == null) {
            return "it has no result (it was never reported)";
        }
        if (!step.successful()) {
            return step.finishedAt() == null
                    ? "it did not run (" + step.failureReason() + ")"
                    : "it failed (" + step.failureCode() + " " + step.failureReason() + ")";
        }
        if (step.resultJson() == null) {
            return "its result was not stored";
        }
        return null;
    }

    /** An old step, to run again as it was dispatched (its timeout and retry policy included). */
    private static RequestedStep requested(StepPlan.Step step) {
        RetryPolicy retry = step.retry();
        return new RequestedStep(
                step.nodeId(),
                step.procedureId(),
                step.outputValueSelector(),
                step.timeoutSeconds(),
                retry == null
                        ? null
                        : new RequestedStep.Retry(retry.maxAttempts(), retry.backoffSeconds(), retry.onCodes()));
    }

    /** The new run's whole step plan: the reused steps as they were, then the planned ones. */
    StepPlan chain(PipelinePlan planned) {
        List<StepPlan.Step> steps = new ArrayList<>(reusedPlan);
        planned.steps().forEach(step -> steps.add(PipelineDispatcher.planned(step)));
        return new StepPlan(steps);
    }
}
