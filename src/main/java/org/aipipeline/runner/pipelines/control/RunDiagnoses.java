package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.aipipeline.runner.messaging.QueueDepths;
import org.aipipeline.runner.messaging.QueueDepths.QueueState;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.control.StoredRun;

/**
 * "Why is my step not running?": gathers, for one of the caller's runs, the facts
 * {@link StepDiagnosis} reads — the run's stored plan, deadline and retry state, the node as
 * registered, and its queue as the broker says (cached briefly by {@link QueueDepths}).
 */
@ApplicationScoped
public class RunDiagnoses {

    @Inject
    PipelineResults results;

    @Inject
    NodeRegistry nodes;

    @Inject
    QueueDepths queues;

    @Inject
    Topology topology;

    /** A run's diagnosis: its status, a summary sentence and one entry per unfinished step. */
    public record Diagnosis(StoredRun run, String summary, List<StepDiagnosis> steps) {}

    /** @throws RunnerException.NotFound absent or someone else's run */
    public Diagnosis diagnose(UUID userId, UUID pipelineId) {
        StoredRun run = results.stored(userId, pipelineId);
        if (run.status().isFinished()) {
            return new Diagnosis(
                    run,
                    "The run is " + run.status() + " since " + run.finishedAt() + ": nothing is waiting.",
                    List.of());
        }
        StepPlan plan = results.stepPlanOf(pipelineId).orElse(null);
        if (plan == null) {
            return new Diagnosis(
                    run,
                    "The run was recorded before the runner kept step plans: it cannot say what each "
                            + "step waits for.",
                    List.of());
        }
        Set<Integer> stored = run.steps().stream().map(StoredRun.Step::order).collect(Collectors.toSet());
        int awaited = run.deadlineStep() != null ? run.deadlineStep() : firstMissing(stored, plan);
        Instant now = DatabaseTime.now();
        List<StepDiagnosis> steps = new ArrayList<>();
        Map<String, Optional<NodeView>> nodesSeen = new HashMap<>();
        for (int order = 1; order <= plan.steps().size(); order++) {
            if (stored.contains(order)) {
                continue;
            }
            StepPlan.Step step = plan.step(order);
            if (order < awaited) {
                steps.add(StepDiagnosis.reportPending(order, step));
            } else if (order > awaited) {
                steps.add(StepDiagnosis.waitingFor(order, step, awaited));
            } else {
                NodeView node =
                        nodesSeen.computeIfAbsent(step.nodeId(), nodes::view).orElse(null);
                QueueState queue = null;
                String brokerProblem = null;
                try {
                    queue = queues.of(topology.nodeQueue(step.nodeId()));
                } catch (RunnerException.Unavailable e) {
                    brokerProblem = e.getMessage();
                }
                steps.add(StepDiagnosis.awaited(
                        order, step, run.stepDeadlineAt(), run.retrying(), node, queue, brokerProblem, now));
            }
        }
        String summary = steps.stream()
                .filter(step -> step.order() == awaited)
                .findFirst()
                .map(StepDiagnosis::sentence)
                .orElse("Every step has reported; the run finishes as the last report is recorded.");
        return new Diagnosis(run, summary, steps);
    }

    private static int firstMissing(Set<Integer> stored, StepPlan plan) {
        for (int order = 1; order <= plan.steps().size(); order++) {
            if (!stored.contains(order)) {
                return order;
            }
        }
        return plan.steps().size();
    }
}
