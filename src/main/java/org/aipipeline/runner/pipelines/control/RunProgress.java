package org.aipipeline.runner.pipelines.control;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * The rules for what a node's report does to a run, decided in data and touching nothing: which
 * steps to store and whether the run finishes now. {@link StepOutcomes} acts on the decision.
 *
 * <p>The rules (see docs-results.md):
 * <ul>
 *   <li>A step is stored at most once per order; a report for an order already stored (success,
 *       failure or not-run) is a duplicate and changes nothing.</li>
 *   <li>A run succeeds when every order 1..stepCount holds a successful step, whatever the arrival
 *       order; it then finishes at the completion time of the <em>last</em> step (highest order),
 *       even when an earlier step's late report was what completed the set.</li>
 *   <li>A failure report finishes a running run as Failed at {@code failedAt}; the failed step and
 *       the reported remaining steps (as not run) are stored where nothing is stored yet.</li>
 *   <li>A finished run never changes status or finish time again; late reports only fill gaps.</li>
 *   <li>An order outside 1..stepCount in the reported step is a broken message (422, dead-letter);
 *       in the remaining steps it is ignored, so the failure itself is still recorded.</li>
 * </ul>
 */
public final class RunProgress {

    /** What is stored for one order. */
    public record Stored(boolean successful, Instant finishedAt) {
    }

    /** The run finishes now: with this status, at this time. */
    public record Finish(RunStatus status, Instant at) {
    }

    /**
     * @param store   orders to store now (the reported step first, then not-run steps)
     * @param finish  the run's end, or null when it does not end with this report
     * @param ignored why parts of the report change nothing (duplicates, late, out of range), for the log
     */
    public record Decision(List<Integer> store, Finish finish, List<String> ignored) {
        public boolean changesAnything() {
            return !store.isEmpty() || finish != null;
        }
    }

    private final RunStatus status;
    private final int stepCount;
    private final Map<Integer, Stored> stored;

    public RunProgress(RunStatus status, int stepCount, Map<Integer, Stored> stored) {
        this.status = Objects.requireNonNull(status, "status");
        this.stepCount = stepCount;
        this.stored = Map.copyOf(stored);
    }

    /** A node reports that the step at {@code order} completed at {@code completedAt}. */
    public Decision completed(int order, Instant completedAt) {
        requireInRange(order);
        List<String> ignored = new ArrayList<>();
        if (stored.containsKey(order)) {
            ignored.add("step " + order + " is already stored (duplicate report)");
            return new Decision(List.of(), null, ignored);
        }
        Finish finish = null;
        if (status.isFinished()) {
            ignored.add("run already " + status + "; step " + order + " stored late, status unchanged");
        } else {
            Map<Integer, Stored> after = new HashMap<>(stored);
            after.put(order, new Stored(true, completedAt));
            if (allSucceeded(after)) {
                finish = new Finish(RunStatus.Succeeded, after.get(stepCount).finishedAt());
            }
        }
        return new Decision(List.of(order), finish, ignored);
    }

    /**
     * A node reports that the step at {@code order} failed at {@code failedAt} and that the steps
     * at {@code remainingOrders} will never run.
     */
    public Decision failed(int order, Instant failedAt, List<Integer> remainingOrders) {
        requireInRange(order);
        List<String> ignored = new ArrayList<>();
        List<Integer> store = new ArrayList<>();
        if (stored.containsKey(order)) {
            ignored.add("step " + order + " is already stored; the failure report does not overwrite it");
        } else {
            store.add(order);
        }
        for (int remaining : remainingOrders) {
            if (remaining <= order || remaining > stepCount) {
                ignored.add("remaining step " + remaining + " is not after step " + order + " within 1.." + stepCount);
            } else if (stored.containsKey(remaining) || store.contains(remaining)) {
                ignored.add("remaining step " + remaining + " is already stored");
            } else {
                store.add(remaining);
            }
        }
        Finish finish = null;
        if (status.isFinished()) {
            ignored.add("run already " + status + "; failure of step " + order + " changes no status");
        } else {
            finish = new Finish(RunStatus.Failed, failedAt);
        }
        return new Decision(List.copyOf(store), finish, ignored);
    }

    private boolean allSucceeded(Map<Integer, Stored> steps) {
        for (int order = 1; order <= stepCount; order++) {
            Stored step = steps.get(order);
            if (step == null || !step.successful()) {
                return false;
            }
        }
        return true;
    }

    private void requireInRange(int order) {
        if (order < 1 || order > stepCount) {
            throw new RunnerException.Invalid("procedureIdentifier.orderInPipeline",
                    "procedureIdentifier.orderInPipeline: " + order + " is outside this pipeline's steps 1.." + stepCount);
        }
    }
}
