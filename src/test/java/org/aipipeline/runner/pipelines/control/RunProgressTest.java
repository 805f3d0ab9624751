package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.RunStatus;
import org.junit.jupiter.api.Test;

/**
 * The result rules, replayed as message sequences against a tiny in-memory store that applies each
 * decision the way {@link StepOutcomes} does.
 */
class RunProgressTest {

    static final Instant T1 = Instant.parse("2025-01-01T00:00:01Z");
    static final Instant T2 = Instant.parse("2025-01-01T00:00:02Z");
    static final Instant T3 = Instant.parse("2025-01-01T00:00:03Z");
    static final Instant T9 = Instant.parse("2025-01-01T00:00:09Z");

    /** A run as the database would hold it; applies decisions like StepOutcomes. */
    static final class Run {
        final int stepCount;
        RunStatus status = RunStatus.Running;
        Instant finishedAt;
        final Map<Integer, RunProgress.Stored> steps = new HashMap<>();
        RunProgress.Decision last;

        Run(int stepCount) {
            this.stepCount = stepCount;
        }

        Run completed(int order, Instant at) {
            last = new RunProgress(status, stepCount, steps).completed(order, at);
            last.store().forEach(o -> steps.put(o, new RunProgress.Stored(true, at)));
            finish();
            return this;
        }

        Run failed(int order, Instant at, Integer... remaining) {
            last = new RunProgress(status, stepCount, steps).failed(order, at, List.of(remaining));
            last.store().forEach(o -> steps.put(o, new RunProgress.Stored(false, o == order ? at : null)));
            finish();
            return this;
        }

        private void finish() {
            if (last.finish() != null) {
                assertEquals(RunStatus.Running, status, "a decision finished an already finished run");
                status = last.finish().status();
                finishedAt = last.finish().at();
            }
        }
    }

    @Test
    void inOrderCompletionsSucceedAtTheLastStep() {
        Run run = new Run(3).completed(1, T1).completed(2, T2);
        assertEquals(RunStatus.Running, run.status);
        assertNull(run.finishedAt);
        run.completed(3, T3);
        assertEquals(RunStatus.Succeeded, run.status);
        assertEquals(T3, run.finishedAt);
        assertEquals(3, run.steps.size());
    }

    @Test
    void lastStepBeforeAnEarlierOneWaitsForTheGapThenFinishesAtTheLastStepsTime() {
        Run run = new Run(3).completed(1, T1).completed(3, T3);
        assertEquals(RunStatus.Running, run.status, "step 2 is still missing");
        run.completed(2, T2);
        assertEquals(RunStatus.Succeeded, run.status);
        assertEquals(T3, run.finishedAt, "finishedAt is the highest-order step's completion, not the late arrival's");
    }

    @Test
    void completionsInReverseOrderSucceedOnceAllAreThere() {
        Run run = new Run(3).completed(3, T3).completed(2, T2);
        assertEquals(RunStatus.Running, run.status);
        run.completed(1, T1);
        assertEquals(RunStatus.Succeeded, run.status);
        assertEquals(T3, run.finishedAt);
    }

    @Test
    void duplicateCompletionIsStoredOnceAndChangesNothing() {
        Run run = new Run(2).completed(1, T1).completed(1, T9);
        assertTrue(run.last.store().isEmpty());
        assertFalse(run.last.changesAnything());
        assertEquals(T1, run.steps.get(1).finishedAt());
        run.completed(2, T2).completed(2, T9);
        assertEquals(RunStatus.Succeeded, run.status);
        assertEquals(T2, run.finishedAt, "a redelivered last step does not move finishedAt");
        assertFalse(run.last.changesAnything());
    }

    @Test
    void failureAfterSuccessFailsTheRunAndMarksTheRestNotRun() {
        Run run = new Run(4).completed(1, T1).failed(2, T2, 3, 4);
        assertEquals(RunStatus.Failed, run.status);
        assertEquals(T2, run.finishedAt);
        assertEquals(List.of(2, 3, 4), run.last.store());
        assertTrue(run.steps.get(1).successful(), "the stored success is kept");
        assertFalse(run.steps.get(3).successful());
    }

    @Test
    void lateCompletionAfterFailureFillsTheGapButKeepsStatusAndTime() {
        Run run = new Run(3).failed(2, T2, 3);
        run.completed(1, T1);
        assertEquals(List.of(1), run.last.store(), "the earlier step's result is still worth keeping");
        assertNull(run.last.finish());
        assertEquals(RunStatus.Failed, run.status);
        assertEquals(T2, run.finishedAt);
        run.completed(3, T9);
        assertTrue(run.last.store().isEmpty(), "step 3 is already stored as not run and is not overwritten");
        assertFalse(run.steps.get(3).successful());
    }

    @Test
    void failureOfTheLastStepFailsWithoutRemainingSteps() {
        Run run = new Run(2).completed(1, T1).failed(2, T2);
        assertEquals(RunStatus.Failed, run.status);
        assertEquals(T2, run.finishedAt);
        assertEquals(List.of(2), run.last.store());
    }

    @Test
    void singleStepPipelineSucceedsOrFailsOnItsOnlyReport() {
        Run ok = new Run(1).completed(1, T1);
        assertEquals(RunStatus.Succeeded, ok.status);
        assertEquals(T1, ok.finishedAt);
        Run bad = new Run(1).failed(1, T1);
        assertEquals(RunStatus.Failed, bad.status);
        assertEquals(T1, bad.finishedAt);
    }

    @Test
    void duplicateFailureChangesNothing() {
        Run run = new Run(3).failed(1, T1, 2, 3).failed(1, T9, 2, 3);
        assertFalse(run.last.changesAnything());
        assertEquals(T1, run.finishedAt);
    }

    @Test
    void failureAfterTheRunSucceededChangesNoStatus() {
        Run run = new Run(1).completed(1, T1).failed(1, T9);
        assertFalse(run.last.changesAnything());
        assertEquals(RunStatus.Succeeded, run.status);
        assertEquals(T1, run.finishedAt);
    }

    @Test
    void failureOfAStepAlreadyReportedSuccessfulStillFailsARunningRunButKeepsTheStep() {
        Run run = new Run(3).completed(1, T1).failed(1, T2, 2, 3);
        assertEquals(RunStatus.Failed, run.status);
        assertEquals(List.of(2, 3), run.last.store());
        assertTrue(run.steps.get(1).successful());
    }

    @Test
    void remainingStepsAlreadyStoredAreNotOverwritten() {
        // step 3 completed (out of order) before step 2's failure arrived
        Run run = new Run(4).completed(3, T3).failed(2, T2, 3, 4);
        assertEquals(List.of(2, 4), run.last.store());
        assertTrue(run.steps.get(3).successful());
        assertEquals(RunStatus.Failed, run.status);
    }

    @Test
    void remainingStepsOutsideTheRunAreIgnoredNotFatal() {
        Run run = new Run(2).failed(1, T1, 2, 7, 0, 1);
        assertEquals(List.of(1, 2), run.last.store());
        assertEquals(3, run.last.ignored().size(), run.last.ignored().toString());
        assertEquals(RunStatus.Failed, run.status);
    }

    @Test
    void anOrderOutsideThePipelineIsAnInvalidMessage() {
        RunProgress progress = new RunProgress(RunStatus.Running, 2, Map.of());
        RunnerException.Invalid tooHigh = assertThrows(RunnerException.Invalid.class, () -> progress.completed(3, T1));
        assertTrue(tooHigh.getMessage().contains("outside"), tooHigh.getMessage());
        assertThrows(RunnerException.Invalid.class, () -> progress.failed(0, T1, List.of()));
    }
}
