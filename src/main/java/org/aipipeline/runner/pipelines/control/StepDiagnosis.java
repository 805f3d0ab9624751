package org.aipipeline.runner.pipelines.control;

import java.time.Duration;
import java.time.Instant;
import org.aipipeline.runner.messaging.QueueDepths.QueueState;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.entity.Retrying;

/**
 * Why one unfinished step of a running run is where it is, in data and in one sentence. Pure: the
 * facts are gathered by {@link RunDiagnoses}; the rules that read them are here, in the order that
 * matters to the person asking (the most specific reason first).
 *
 * @param state        what the step is doing, see {@link State}
 * @param sentence     the same, in words, with the figures that back it
 * @param dispatchedAt when the runner (or, for a retry, its sweep) last handed the step to the broker; null
 *                     when not known (the step is not the one the run waits for, or is waiting for its retry)
 * @param deadlineAt   when the step fails if its node does not report; null when not the awaited step
 * @param queue        the node's queue as the broker last said (null when not asked or the broker is unreachable)
 * @param node         the node as registered (null when the runner has never seen it)
 */
public record StepDiagnosis(
        int order,
        String nodeId,
        String procedureId,
        State state,
        String sentence,
        Instant dispatchedAt,
        Instant deadlineAt,
        Attempts attempts,
        QueueState queue,
        NodeView node) {

    /** What an unfinished step is doing; the wire value is {@link #wire()}. */
    public enum State {
        WAITING_FOR_EARLIER_STEP,
        REPORT_PENDING,
        RETRY_SCHEDULED,
        PAST_DEADLINE,
        NODE_UNKNOWN,
        PROCEDURE_NOT_ADVERTISED,
        NO_QUEUE,
        NO_CONSUMER,
        QUEUED,
        RUNNING,
        BROKER_UNREACHABLE;

        /** {@code waiting-for-earlier-step}, {@code no-consumer}, … */
        public String wire() {
            return name().toLowerCase().replace('_', '-');
        }
    }

    /** Attempts of the step so far: how many failed, and how many its retry policy allows (1 without one). */
    public record Attempts(int failed, int max) {}

    /** A step after the one the run waits for: nothing has been sent for it yet. */
    static StepDiagnosis waitingFor(int order, StepPlan.Step step, int awaited) {
        return new StepDiagnosis(
                order,
                step.nodeId(),
                step.procedureId(),
                State.WAITING_FOR_EARLIER_STEP,
                "Step " + order + " waits for step " + awaited
                        + ": each node passes the run on only when its own step has " + "succeeded.",
                null,
                null,
                attempts(step, null, order),
                null,
                null);
    }

    /** A step before the awaited one whose completion has not been recorded yet (reports arrive in any order). */
    static StepDiagnosis reportPending(int order, StepPlan.Step step) {
        return new StepDiagnosis(
                order,
                step.nodeId(),
                step.procedureId(),
                State.REPORT_PENDING,
                "Step " + order
                        + " ran (a later step already started) but its report has not been recorded yet: it is on "
                        + "its way from node '" + step.nodeId() + "'.",
                null,
                null,
                attempts(step, null, order),
                null,
                null);
    }

    /**
     * The step the run waits for.
     *
     * @param deadlineOrDue the run's {@code step_deadline_at}: the deadline or, while a retry waits, its due time
     * @param queue         null when the broker could not be asked ({@code brokerProblem} says why)
     */
    static StepDiagnosis awaited(
            int order,
            StepPlan.Step step,
            Instant deadlineOrDue,
            Retrying retrying,
            NodeView node,
            QueueState queue,
            String brokerProblem,
            Instant now) {
        Attempts attempts = attempts(step, retrying, order);
        String where = "procedure '" + step.procedureId() + "' on node '" + step.nodeId() + "'";
        if (retrying != null && retrying.order() == order && retrying.nextAttemptAt() != null) {
            return new StepDiagnosis(
                    order,
                    step.nodeId(),
                    step.procedureId(),
                    State.RETRY_SCHEDULED,
                    "Attempt " + (attempts.failed() + 1) + " of " + attempts.max() + " of step " + order + " (" + where
                            + ") is scheduled for " + retrying.nextAttemptAt() + " ("
                            + in(now, retrying.nextAttemptAt())
                            + "): attempt " + attempts.failed() + " failed: " + retrying.lastFailureReason(),
                    null,
                    null,
                    attempts,
                    queue,
                    node);
        }
        Instant deadline = deadlineOrDue;
        Instant dispatched = deadline == null ? null : deadline.minusSeconds(step.timeoutSeconds());
        if (deadline != null && !deadline.isAfter(now)) {
            return diagnosis(
                    order,
                    step,
                    State.PAST_DEADLINE,
                    "Step " + order + " (" + where + ") is past its deadline "
                            + deadline + " (" + ago(now, deadline)
                            + "): the node has not reported; the deadline sweep fails it, or "
                            + "retries it under its policy, within a second.",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    node);
        }
        String until = deadline == null ? "" : "; deadline " + deadline + " (" + in(now, deadline) + ")";
        if (node == null) {
            return diagnosis(
                    order,
                    step,
                    State.NODE_UNKNOWN,
                    "Node '" + step.nodeId() + "' has never advertised itself "
                            + "to this runner, so nothing will take step " + order + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    null);
        }
        boolean lists = node.procedures().stream().anyMatch(p -> p.procedureId().equals(step.procedureId()));
        String advertised = "last advertised at " + node.lastAdvertisedAt() + ", "
                + (node.available() ? "available" : "unavailable");
        if (!lists) {
            return diagnosis(
                    order,
                    step,
                    State.PROCEDURE_NOT_ADVERTISED,
                    "Node '" + step.nodeId() + "' (" + advertised
                            + ") no longer lists procedure '" + step.procedureId()
                            + "' in its advert, so it may not run step " + order
                            + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    node);
        }
        if (queue == null) {
            return diagnosis(
                    order,
                    step,
                    State.BROKER_UNREACHABLE,
                    "Step " + order + " was handed to the broker for "
                            + where + (dispatched == null ? "" : " at " + dispatched) + " (node " + advertised
                            + "); the broker "
                            + "cannot be asked about the node's queue now: " + brokerProblem + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    null,
                    node);
        }
        if (!queue.exists()) {
            return diagnosis(
                    order,
                    step,
                    State.NO_QUEUE,
                    "Node '" + step.nodeId() + "' has no queue '" + queue.queue()
                            + "' on the broker (it was deleted), so step " + order + " cannot reach it" + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    node);
        }
        if (queue.consumers() == 0) {
            return diagnosis(
                    order,
                    step,
                    State.NO_CONSUMER,
                    "Waiting in queue '" + queue.queue() + "' with "
                            + messages(queue.messages()) + " ready and no consumer: node '" + step.nodeId()
                            + "' is not connected ("
                            + advertised + ")" + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    node);
        }
        if (queue.messages() > 0) {
            return diagnosis(
                    order,
                    step,
                    State.QUEUED,
                    "Waiting in queue '" + queue.queue() + "' behind up to " + messages(queue.messages()) + ", with "
                            + consumers(queue.consumers()) + " taking from it" + until + ".",
                    dispatched,
                    deadline,
                    attempts,
                    queue,
                    node);
        }
        return diagnosis(
                order,
                step,
                State.RUNNING,
                "Running on node '" + step.nodeId() + "'"
                        + (dispatched == null
                                ? ""
                                : " for " + seconds(Duration.between(dispatched, now)) + " (dispatched at " + dispatched
                                        + ")")
                        + ": its queue holds no waiting message and " + consumers(queue.consumers())
                        + " connected" + until + ".",
                dispatched,
                deadline,
                attempts,
                queue,
                node);
    }

    private static StepDiagnosis diagnosis(
            int order,
            StepPlan.Step step,
            State state,
            String sentence,
            Instant dispatched,
            Instant deadline,
            Attempts attempts,
            QueueState queue,
            NodeView node) {
        return new StepDiagnosis(
                order, step.nodeId(), step.procedureId(), state, sentence, dispatched, deadline, attempts, queue, node);
    }

    private static Attempts attempts(StepPlan.Step step, Retrying retrying, int order) {
        int failed = retrying != null && retrying.order() == order ? retrying.failedAttempts() : 0;
        return new Attempts(failed, step.retry() == null ? 1 : step.retry().maxAttempts());
    }

    private static String messages(long count) {
        return count == 1 ? "1 message" : count + " messages";
    }

    private static String consumers(int count) {
        return count == 1 ? "1 consumer" : count + " consumers";
    }

    private static String in(Instant now, Instant at) {
        return at.isAfter(now) ? "in " + seconds(Duration.between(now, at)) : ago(now, at);
    }

    private static String ago(Instant now, Instant at) {
        return seconds(Duration.between(at, now)) + " ago";
    }

    private static String seconds(Duration duration) {
        return Math.max(0, duration.toSeconds()) + " s";
    }
}
