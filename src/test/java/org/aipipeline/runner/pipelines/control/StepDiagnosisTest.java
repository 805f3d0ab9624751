package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.List;
import org.aipipeline.runner.messaging.QueueDepths.QueueState;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.pipelines.control.StepDiagnosis.State;
import org.aipipeline.runner.results.control.RetryPolicy;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.entity.Retrying;
import org.junit.jupiter.api.Test;

class StepDiagnosisTest {

    static final Instant NOW = Instant.parse("2026-11-30T18:00:00Z");
    static final Instant ADVERTISED = Instant.parse("2026-11-30T17:59:30Z");
    static final StepPlan.Step OCR = new StepPlan.Step(60, "ocr", "read", null);
    /** Dispatched 20 s ago with a 60 s wait. */
    static final Instant DEADLINE = NOW.plusSeconds(40);

    static final NodeView ONLINE = node(true, "read");

    static NodeView node(boolean available, String... procedures) {
        return new NodeView(
                "ocr",
                List.of(procedures).stream()
                        .map(id -> new RegisteredProcedure("ocr", id, "1", null, null, ADVERTISED, available))
                        .toList(),
                ADVERTISED,
                available);
    }

    static QueueState queue(long messages, int consumers) {
        return new QueueState("ocr", true, messages, consumers, NOW);
    }

    static StepDiagnosis awaited(NodeView node, QueueState queue) {
        return StepDiagnosis.awaited(1, OCR, DEADLINE, null, node, queue, "connection refused", NOW);
    }

    @Test
    void aStepWhoseNodeTakesItsMessagesIsRunningForTheTimeSinceItsDispatch() {
        StepDiagnosis running = awaited(ONLINE, queue(0, 2));

        assertEquals(State.RUNNING, running.state());
        assertEquals("running", running.state().wire());
        assertEquals(NOW.minusSeconds(20), running.dispatchedAt());
        assertEquals(
                "Running on node 'ocr' for 20 s (dispatched at 2026-11-30T17:59:40Z): its queue holds no waiting "
                        + "message and 2 consumers connected; deadline 2026-11-30T18:00:40Z (in 40 s).",
                running.sentence());
    }

    @Test
    void aStepBehindOtherMessagesIsQueuedWithTheFigures() {
        StepDiagnosis queued = awaited(ONLINE, queue(7, 1));

        assertEquals(State.QUEUED, queued.state());
        assertEquals(
                "Waiting in queue 'ocr' behind up to 7 messages, with 1 consumer taking from it; deadline "
                        + "2026-11-30T18:00:40Z (in 40 s).",
                queued.sentence());
    }

    @Test
    void aQueueWithoutConsumerSaysTheNodeIsNotConnectedAndWhetherItIsAvailable() {
        StepDiagnosis alone = awaited(node(false, "read"), queue(1, 0));

        assertEquals(State.NO_CONSUMER, alone.state());
        assertEquals(
                "Waiting in queue 'ocr' with 1 message ready and no consumer: node 'ocr' is not connected (last "
                        + "advertised at 2026-11-30T17:59:30Z, unavailable); deadline 2026-11-30T18:00:40Z (in 40 s).",
                alone.sentence());
    }

    @Test
    void theMostSpecificReasonWins() {
        assertEquals(
                State.PROCEDURE_NOT_ADVERTISED,
                awaited(node(true, "write"), queue(0, 1)).state());
        assertEquals(State.NODE_UNKNOWN, awaited(null, queue(0, 1)).state());
        assertEquals(
                State.NO_QUEUE,
                awaited(ONLINE, new QueueState("ocr", false, 0, 0, NOW)).state());
        StepDiagnosis unreachable = awaited(ONLINE, null);
        assertEquals(State.BROKER_UNREACHABLE, unreachable.state());
        assertEquals(
                "Step 1 was handed to the broker for procedure 'read' on node 'ocr' at 2026-11-30T17:59:40Z (node "
                        + "last advertised at 2026-11-30T17:59:30Z, available); the broker cannot be asked about the node's queue "
                        + "now: connection refused; deadline 2026-11-30T18:00:40Z (in 40 s).",
                unreachable.sentence());
        StepDiagnosis late = StepDiagnosis.awaited(1, OCR, NOW.minusSeconds(3), null, ONLINE, queue(0, 1), null, NOW);
        assertEquals(State.PAST_DEADLINE, late.state());
        assertEquals(
                "Step 1 (procedure 'read' on node 'ocr') is past its deadline 2026-11-30T17:59:57Z (3 s ago): the node "
                        + "has not reported; the deadline sweep fails it, or retries it under its policy, within a second.",
                late.sentence());
    }

    @Test
    void aScheduledRetrySaysWhichAttemptWhenAndWhyTheLastFailed() {
        StepPlan.Step retried = new StepPlan.Step(60, "ocr", "read", null, new RetryPolicy(3, 2, List.of()));
        Retrying retrying = new Retrying(1, 1, "model busy", NOW.plusSeconds(2));
        StepDiagnosis waiting =
                StepDiagnosis.awaited(1, retried, NOW.plusSeconds(2), retrying, ONLINE, queue(0, 1), null, NOW);

        assertEquals(State.RETRY_SCHEDULED, waiting.state());
        assertEquals(new StepDiagnosis.Attempts(1, 3), waiting.attempts());
        assertNull(waiting.deadlineAt(), "while the retry waits there is no deadline");
        assertEquals(
                "Attempt 2 of 3 of step 1 (procedure 'read' on node 'ocr') is scheduled for 2026-11-30T18:00:02Z "
                        + "(in 2 s): attempt 1 failed: model busy",
                waiting.sentence());
    }

    @Test
    void stepsAfterTheAwaitedOneWaitForIt() {
        StepDiagnosis later = StepDiagnosis.waitingFor(3, OCR, 2);

        assertEquals("waiting-for-earlier-step", later.state().wire());
        assertEquals(
                "Step 3 waits for step 2: each node passes the run on only when its own step has succeeded.",
                later.sentence());
    }
}
