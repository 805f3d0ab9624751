package org.aipipeline.runner.pipelines.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Outbox;
import org.aipipeline.runner.messaging.OutboxEntry;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutboxPublisher;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.control.PipelinePlan.PlannedRun;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.results.control.RunMetrics;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.control.StepPlan;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Acts on a plan, in one place: one transaction records the runs (and their batch) with the first
 * RunPipelineStep of each in the outbox; after the commit the messages are handed to the
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
    Outbox outbox;

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Inject
    OutboxPublisher publisher;

    @Inject
    Topology topology;

    @Inject
    RunMetrics metrics;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration relayAfter;

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

    private void record(PipelinePlan plan, UUID batchId, IdempotentRequest keyed, IdempotencyKeys.Original answer) {
        Instant now = DatabaseTime.now();
        List<RunRecords.NewRun> runs = new ArrayList<>(plan.runs().size());
        List<OutboxMessage> messages = new ArrayList<>(plan.runs().size());
        for (PlannedRun run : plan.runs()) {
            runs.add(new RunRecords.NewRun(run.pipelineId(), AP_JSON.print(run.input())));
            messages.add(new OutboxMessage(firstStepMessage(run), run.pipelineId().toString()));
        }
        List<OutboxEntry> entries;
        try {
            entries = LocalTransaction.run(dataSource, connection -> {
                if (keyed != null) {
                    // First, so a concurrent twin waits on the key's row before recording anything.
                    idempotencyKeys.claim(connection, keyed, answer, now);
                }
                records.recordRuns(connection, plan.userId(), batchId, stepPlan(plan), runs, now);
                return outbox.add(connection, messages, now, relayAfter);
            });
        } catch (SQLException e) {
            if (keyed != null && IdempotencyKeys.isTaken(e)) {
                throw new IdempotencyKeys.Taken(keyed);
            }
            throw new RunnerException.Unavailable("Cannot record the pipeline: " + e.getMessage());
        }
        publisher.send(entries);
        ProcedureIdentifier first = plan.steps().get(0).identifier();
        metrics.started(first.nodeId() + "/" + first.procedureId(), plan.runs().size());
    }

    private static StepPlan stepPlan(PipelinePlan plan) {
        return new StepPlan(plan.steps().stream()
                .map(step -> new StepPlan.Step(step.timeoutSeconds(), step.identifier().nodeId(), step.identifier().procedureId(),
                        step.identifier().outputValueSelector(), step.retry()))
                .toList());
    }

    private OutgoingMessage firstStepMessage(PlannedRun run) {
        String nodeId = run.firstStep().currentStep().nodeId();
        return OutgoingMessage.of(topology.runPipelineExchange(), Topology.nodeRoutingKey(nodeId),
                MessageType.RUN_PIPELINE_STEP, run.firstStep().toJsonText().getBytes(StandardCharsets.UTF_8));
    }
}
