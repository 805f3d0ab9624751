package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.AnnouncedChanges;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.control.PipelinePlan.PlannedRun;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunMetrics;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.control.StepPlan;

/**
 * Acts on a plan, in one place: one transaction records the runs (and their batch) with the first
 * RunPipelineStep of each in the outbox ({@link AnnouncedChanges}); after the commit the messages are handed to the
 * publisher and the caller answers at once.
 *
 * <p>Invariant: no run stays Running unless its first message is confirmed by the broker or
 * still in the outbox (the publisher deletes a row only once confirmed, and the relay sends
 * what is left). A first step the broker returns as unroutable fails its run with 503 "node
 * unreachable" ({@link StepReports#failUnroutable}), so nothing waits for a node that will never
 * get the step.
 */
@ApplicationScoped
public class PipelineDispatcher {

    private static final ApElementJson AP_JSON = new ApElementJson();

    @Inject
    RunRecords records;

    @Inject
    AnnouncedChanges changes;

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Inject
    Topology topology;

    @Inject
    RunMetrics metrics;

    /** Records one run and hands its first step to the publisher. */
    public void dispatch(PipelinePlan plan) {
        record(plan, null, null, null);
    }

    /**
     * As {@link #dispatch(PipelinePlan)} or, with a batch id, a whole batch in one transaction;
     * with a keyed request its key is claimed in the same transaction, with the answer to replay.
     *
     * @throws IdempotencyKeys.Taken a concurrent submission committed the key first (nothing was recorded)
     */
    public void dispatch(PipelinePlan plan, UUID batchId, IdempotentRequest keyed, IdempotencyKeys.Original answer) {
        record(plan, batchId, keyed, answer);
    }

    /**
     * Records a rerun ({@code chain} is its whole step plan, reused steps included, and {@code plan}
     * the part that runs) and hands the RunPipelineStep of its first step to run to the publisher,
     * like a new run: one transaction, the key claimed in it when keyed.
     *
     * @throws IdempotencyKeys.Taken a concurrent submission committed the key first (nothing was recorded)
     */
    public void dispatchRerun(
            PipelinePlan plan,
            StepPlan chain,
            RunRecords.NewRerun rerun,
            IdempotentRequest keyed,
            IdempotencyKeys.Original answer) {
        PlannedRun run = plan.runs().get(0);
        record(
                plan,
                chain,
                keyed,
                answer,
                List.of(new OutboxMessage(
                        firstStepMessage(run), run.pipelineId().toString())),
                (connection, now) -> records.recordRerun(connection, plan.userId(), rerun, chain, now));
    }

    /** What is recorded with the outbox rows: the runs, on the transaction's connection. */
    private interface Recorder {
        void record(Connection connection, Instant now) throws SQLException;
    }

    private void record(PipelinePlan plan, UUID batchId, IdempotentRequest keyed, IdempotencyKeys.Original answer) {
        List<RunRecords.NewRun> runs = new ArrayList<>(plan.runs().size());
        List<OutboxMessage> messages = new ArrayList<>(plan.runs().size());
        for (PlannedRun run : plan.runs()) {
            runs.add(new RunRecords.NewRun(run.pipelineId(), AP_JSON.print(run.input())));
            messages.add(
                    new OutboxMessage(firstStepMessage(run), run.pipelineId().toString()));
        }
        StepPlan steps = stepPlan(plan);
        record(
                plan,
                steps,
                keyed,
                answer,
                messages,
                (connection, now) ->
                        records.recordRuns(connection, plan.userId(), batchId, steps, runs, plan.callback(), now));
    }

    private void record(
            PipelinePlan plan,
            StepPlan chain,
            IdempotentRequest keyed,
            IdempotencyKeys.Original answer,
            List<OutboxMessage> messages,
            Recorder recorder) {
        Instant now = DatabaseTime.now();
        try {
            changes.commit(now, connection -> {
                if (keyed != null) {
                    // First, so a concurrent twin waits on the key's row before recording anything.
                    idempotencyKeys.claim(connection, keyed, answer, now);
                }
                recorder.record(connection, now);
                return new AnnouncedChanges.Change<>(null, messages);
            });
        } catch (SQLException e) {
            if (keyed != null && IdempotencyKeys.isTaken(e)) {
                throw new IdempotencyKeys.Taken(keyed);
            }
            throw new RunnerException.Unavailable("Cannot record the pipeline: " + e.getMessage());
        }
        metrics.started(chain.entry(), plan.runs().size());
    }

    static StepPlan stepPlan(PipelinePlan plan) {
        return new StepPlan(
                plan.steps().stream().map(PipelineDispatcher::planned).toList());
    }

    /** A planned step as the run's step plan stores it. */
    static StepPlan.Step planned(PipelinePlan.PlannedStep step) {
        return new StepPlan.Step(
                step.timeoutSeconds(),
                step.identifier().nodeId(),
                step.identifier().procedureId(),
                step.identifier().outputValueSelector(),
                step.retry());
    }

    private OutgoingMessage firstStepMessage(PlannedRun run) {
        String nodeId = run.firstStep().currentStep().nodeId();
        return OutgoingMessage.of(
                topology.runPipelineExchange(),
                Topology.nodeRoutingKey(nodeId),
                MessageType.RUN_PIPELINE_STEP,
                run.firstStep().toJsonText().getBytes(StandardCharsets.UTF_8));
    }
}
