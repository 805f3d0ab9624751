package org.aipipeline.runner.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.aipipeline.runner.results.entity.Retrying;
import org.aipipeline.runner.results.entity.RunStatus;
import org.junit.jupiter.api.Test;

class RunEventsTest {

    private static final Instant T = Instant.parse("2026-11-30T12:00:00Z");
    private static final List<RunState.Planned> PLAN = List.of(
            new RunState.Planned("words", "repeat-string"),
            new RunState.Planned("describer", "describe"),
            new RunState.Planned("words", "repeat-string"));

    private static RunState.Step ok(int order) {
        return new RunState.Step(
                order,
                "n",
                "p",
                true,
                T.plusSeconds(order),
                "{\"type\":\"ApString\",\"value\":\"x\"}",
                null,
                null,
                1,
                null);
    }

    private static RunState.Step okAfter(int order, int attempts, String lastFailure) {
        return new RunState.Step(
                order,
                "n",
                "p",
                true,
                T.plusSeconds(order),
                "{\"type\":\"ApString\",\"value\":\"x\"}",
                null,
                null,
                attempts,
                lastFailure);
    }

    private static RunState.Step failed(int order, int code) {
        return new RunState.Step(order, "n", "p", false, T.plusSeconds(order), null, code, "boom", 1, null);
    }

    private static RunState.Step notRun(int order, int code) {
        return new RunState.Step(order, "n", "p", false, null, null, code, "Not run", 1, null);
    }

    private static RunState running(Retrying retrying, RunState.Step... steps) {
        return new RunState(RunStatus.Running, null, 3, PLAN, retrying, List.of(steps));
    }

    private static RunState ended(RunStatus status, RunState.Step... steps) {
        return new RunState(status, T.plusSeconds(9), 3, PLAN, null, List.of(steps));
    }

    private static List<String> ids(RunState run) {
        return RunEvents.of(run).stream().map(StreamEvent::id).toList();
    }

    @Test
    void aJustRecordedRunHasOnlyItsFirstDispatch() {
        List<StreamEvent> events = RunEvents.of(running(null));
        assertEquals(
                List.of("1:dispatched"), events.stream().map(StreamEvent::id).toList());
        assertEquals("dispatched", events.get(0).name());
        assertEquals(
                "{\"order\":1,\"nodeId\":\"words\",\"procedureId\":\"repeat-string\"}",
                events.get(0).data().toString());
    }

    @Test
    void aStoredSuccessDispatchesTheNextStep() {
        assertEquals(List.of("1:dispatched", "1:succeeded", "2:dispatched"), ids(running(null, ok(1))));
        StreamEvent second = RunEvents.of(running(null, ok(1))).get(2);
        assertEquals(
                "{\"order\":2,\"nodeId\":\"describer\",\"procedureId\":\"describe\"}",
                second.data().toString());
    }

    @Test
    void theResultIsEmbeddedAsJsonNotAsAString() {
        StreamEvent succeeded = RunEvents.of(running(null, ok(1))).get(1);
        assertEquals("step-succeeded", succeeded.name());
        assertEquals(
                "{\"order\":1,\"result\":{\"type\":\"ApString\",\"value\":\"x\"}}",
                succeeded.data().toString());
    }

    @Test
    void aRunningRunStopsAtTheFirstGapSoLaterCallsOnlyAppend() {
        // Step 2's report was stored before step 1's: nothing past step 1 until the gap is filled.
        assertEquals(List.of("1:dispatched"), ids(running(null, ok(2))));
        assertEquals(
                List.of("1:dispatched", "1:succeeded", "2:dispatched", "2:succeeded", "3:dispatched"),
                ids(running(null, ok(1), ok(2))));
    }

    @Test
    void aSucceededRunEndsWithFinished() {
        List<StreamEvent> events = RunEvents.of(ended(RunStatus.Succeeded, ok(1), ok(2), ok(3)));
        assertEquals(
                List.of(
                        "1:dispatched",
                        "1:succeeded",
                        "2:dispatched",
                        "2:succeeded",
                        "3:dispatched",
                        "3:succeeded",
                        "finished"),
                events.stream().map(StreamEvent::id).toList());
        assertEquals(
                "{\"status\":\"Succeeded\",\"finishedAt\":\"2026-11-30T12:00:09Z\"}",
                events.get(events.size() - 1).data().toString());
    }

    @Test
    void aFailedStepIsReportedAndTheStepsNeverRunAreNot() {
        List<StreamEvent> events = RunEvents.of(ended(RunStatus.Failed, ok(1), failed(2, 500), notRun(3, 500)));
        assertEquals(
                List.of("1:dispatched", "1:succeeded", "2:dispatched", "2:failed", "finished"),
                events.stream().map(StreamEvent::id).toList());
        assertEquals(
                "{\"order\":2,\"failureReason\":{\"code\":500,\"reason\":\"boom\"}}",
                events.get(3).data().toString());
        assertEquals("step-failed", events.get(3).name());
    }

    @Test
    void aCancelledRunShowsTheDispatchedStepWithoutAnOutcome() {
        assertEquals(
                List.of("1:dispatched", "1:succeeded", "2:dispatched", "finished"),
                ids(ended(RunStatus.Cancelled, ok(1), notRun(2, 499), notRun(3, 499))));
    }

    @Test
    void aFinishedRunShowsRowsPastAGap() {
        // Step 2 failed before step 1's success report was stored: the run is over, so show what there is.
        assertEquals(
                List.of("1:dispatched", "2:dispatched", "2:failed", "finished"),
                ids(ended(RunStatus.Failed, failed(2, 500), notRun(3, 500))));
    }

    @Test
    void aRetryUnderWayIsOneEventPerFailedAttemptTheLatestWithReasonAndTime() {
        Instant next = T.plusSeconds(30);
        List<StreamEvent> events = RunEvents.of(running(new Retrying(2, 2, "busy", next), ok(1)));
        assertEquals(
                List.of("1:dispatched", "1:succeeded", "2:dispatched", "2:retrying:1", "2:retrying:2"),
                events.stream().map(StreamEvent::id).toList());
        assertEquals(
                "{\"order\":2,\"failedAttempts\":1,\"lastFailureReason\":null,\"nextAttemptAt\":null}",
                events.get(3).data().toString());
        assertEquals(
                "{\"order\":2,\"failedAttempts\":2,\"lastFailureReason\":\"busy\",\"nextAttemptAt\":\"2026-11-30T12:00:30Z\"}",
                events.get(4).data().toString());
    }

    @Test
    void aDispatchedRetryHasNoNextAttemptTime() {
        StreamEvent retrying =
                RunEvents.of(running(new Retrying(1, 1, "busy", null))).get(1);
        assertEquals(
                "{\"order\":1,\"failedAttempts\":1,\"lastFailureReason\":\"busy\",\"nextAttemptAt\":null}",
                retrying.data().toString());
    }

    @Test
    void aStepThatSucceededAfterRetriesKeepsItsRetryEventsFromItsRow() {
        assertEquals(
                List.of("1:dispatched", "1:retrying:1", "1:retrying:2", "1:succeeded", "2:dispatched"),
                ids(running(null, okAfter(1, 3, "busy"))));
        StreamEvent latest = RunEvents.of(running(null, okAfter(1, 3, "busy"))).get(2);
        assertEquals(
                "{\"order\":1,\"failedAttempts\":2,\"lastFailureReason\":\"busy\",\"nextAttemptAt\":null}",
                latest.data().toString());
    }

    @Test
    void aRetryOfAnotherStepDoesNotShowUnderThisOne() {
        assertEquals(List.of("1:dispatched"), ids(running(new Retrying(2, 1, "busy", T))));
    }

    @Test
    void eventsAreInTheOrderOfTheirIds() {
        List<StreamEvent> events =
                RunEvents.of(ended(RunStatus.Succeeded, okAfter(1, 2, "x"), okAfter(2, 3, "y"), ok(3)));
        List<EventId> ids = new ArrayList<>(
                events.stream().map(event -> EventId.parse(event.id())).toList());
        List<EventId> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids);
    }

    @Test
    void afterSendsOnlyWhatFollowsTheLastSeenId() {
        List<StreamEvent> all = RunEvents.of(ended(RunStatus.Succeeded, ok(1), ok(2), ok(3)));
        assertEquals(
                List.of("2:dispatched", "2:succeeded", "3:dispatched", "3:succeeded", "finished"),
                RunEvents.after(all, EventId.parse("1:succeeded")).stream()
                        .map(StreamEvent::id)
                        .toList());
        assertEquals(List.of(), RunEvents.after(all, EventId.FINISHED));
        assertEquals(all, RunEvents.after(all, null));
    }

    @Test
    void afterAnIdTheStateNoLongerYieldsResumesAtItsPlace() {
        // The client saw "2:retrying:1" live; the step has since succeeded on its third attempt.
        List<StreamEvent> all = RunEvents.of(running(null, ok(1), okAfter(2, 3, "busy")));
        assertEquals(
                List.of("2:retrying:2", "2:succeeded", "3:dispatched"),
                RunEvents.after(all, EventId.parse("2:retrying:1")).stream()
                        .map(StreamEvent::id)
                        .toList());
        assertEquals(
                List.of("2:retrying:1", "2:retrying:2", "2:succeeded", "3:dispatched"),
                RunEvents.after(all, EventId.parse("2:dispatched")).stream()
                        .map(StreamEvent::id)
                        .toList());
    }

    @Test
    void aRunWithoutAStepPlanNamesTheNodeFromItsRow() {
        RunState old = new RunState(
                RunStatus.Succeeded,
                T,
                1,
                List.of(),
                null,
                List.of(new RunState.Step(1, "old-node", "old-proc", true, T, "{}", null, null, 1, null)));
        assertEquals(
                "{\"order\":1,\"nodeId\":\"old-node\",\"procedureId\":\"old-proc\"}",
                RunEvents.of(old).get(0).data().toString());
    }

    @Test
    void theSameStateGivesTheSameEvents() {
        RunState run = running(new Retrying(2, 1, "busy", T), ok(1));
        assertEquals(RunEvents.of(run), RunEvents.of(run));
    }
}
