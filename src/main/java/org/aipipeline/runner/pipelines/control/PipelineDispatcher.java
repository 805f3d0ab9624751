package org.aipipeline.runner.pipelines.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.aipipeline.runner.messaging.ConfirmedPublisher;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Outbox;
import org.aipipeline.runner.messaging.OutboxEntry;
import org.aipipeline.runner.messaging.OutboxUnroutable;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.PublishFailed;
import org.aipipeline.runner.messaging.Unroutable;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.RunPipelineStep;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Acts on a plan, in one place: record (runs + outbox rows, one transaction), then publish each
 * first step with a confirm and delete its outbox row.
 *
 * <p>Invariant: no run stays Running unless its first message is either confirmed by the broker
 * or still in the outbox (where {@link org.aipipeline.runner.messaging.OutboxRelay} will send
 * it). A message the broker refuses outright fails its run ("node unreachable"), so nothing
 * waits forever for a node that will never get the step.
 */
@ApplicationScoped
public class PipelineDispatcher {

    private static final System.Logger LOG = System.getLogger(PipelineDispatcher.class.getName());
    /** How many chunks of a batch are published at once: enough to overlap confirms, few enough to leave channels for others. */
    private static final int PARALLEL_CHUNKS = 4;

    @Inject
    PipelineRecords records;

    @Inject
    Outbox outbox;

    @Inject
    ConfirmedPublisher publisher;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService workers;

    @Inject
    @ConfigProperty(name = "pipelines.batch.chunk-size", defaultValue = "500")
    int chunkSize;

    /**
     * Records one run and hands its first step to the broker before returning.
     *
     * @throws RunnerException.Unavailable the broker refused or did not confirm it; the run is Failed
     */
    public void dispatch(PipelinePlan plan) {
        PipelineRecords.Recorded recorded = records.record(plan, null);
        long outboxId = recorded.outboxIds().get(0);
        OutgoingMessage message = recorded.messages().get(0);
        PipelinePlan.PlannedRun run = plan.runs().get(0);
        try {
            publisher.publish(message);
        } catch (PublishFailed e) {
            String reason = e instanceof Unroutable
                    ? "node '" + run.firstStep().currentStep().nodeId() + "' is unreachable (no queue bound for it)"
                    : "the message broker did not accept the first step: " + e.getMessage();
            records.failUnreachable(run.pipelineId(), plan.identifiers(), reason);
            deleteQuietly(List.of(outboxId));
            throw new RunnerException.Unavailable("Pipeline " + run.pipelineId() + " failed: " + reason);
        }
        deleteQuietly(List.of(outboxId));
    }

    /**
     * Records a whole batch (one transaction), then publishes on the container's executor in
     * chunks, at most {@value #PARALLEL_CHUNKS} at once, and returns without waiting for them.
     * Whatever a chunk cannot publish stays in the outbox for the relay.
     */
    public UUID dispatchBatch(PipelinePlan plan) {
        UUID batchId = UUID.randomUUID();
        PipelineRecords.Recorded recorded = records.record(plan, batchId);
        ConcurrentLinkedQueue<List<OutboxEntry>> chunks = new ConcurrentLinkedQueue<>();
        List<OutboxEntry> chunk = new ArrayList<>(chunkSize);
        for (int i = 0; i < recorded.messages().size(); i++) {
            chunk.add(new OutboxEntry(recorded.outboxIds().get(i), recorded.messages().get(i), plan.runs().get(i).pipelineId()));
            if (chunk.size() == chunkSize) {
                chunks.add(chunk);
                chunk = new ArrayList<>(chunkSize);
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        int parallel = Math.min(PARALLEL_CHUNKS, chunks.size());
        for (int i = 0; i < parallel; i++) {
            workers.execute(() -> publishChunks(chunks));
        }
        return batchId;
    }

    private void publishChunks(ConcurrentLinkedQueue<List<OutboxEntry>> chunks) {
        List<OutboxEntry> chunk;
        while ((chunk = chunks.poll()) != null) {
            try {
                publishChunk(chunk);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Publishing {0} batch runs failed ({1}); the outbox relay will retry them",
                        chunk.size(), e.getMessage());
            }
        }
    }

    private void publishChunk(List<OutboxEntry> chunk) {
        Map<String, OutboxEntry> byMessageId = new HashMap<>();
        chunk.forEach(entry -> byMessageId.put(entry.message().messageId(), entry));
        List<OutgoingMessage> returned = publisher.publishAll(chunk.stream().map(OutboxEntry::message).toList());
        for (OutgoingMessage message : returned) {
            failUnroutable(new OutboxUnroutable(byMessageId.get(message.messageId()), "no queue bound"));
        }
        outbox.delete(chunk.stream().map(OutboxEntry::id).toList());
    }

    /** An outbox message the broker returned: if it started a run, that run fails ("node unreachable"). */
    void failUnroutable(@Observes OutboxUnroutable event) {
        OutgoingMessage message = event.entry().message();
        if (message.type() != MessageType.RUN_PIPELINE_STEP || event.entry().pipelineId() == null) {
            return;
        }
        RunPipelineStep step = RunPipelineStep.fromJson(new String(message.body(), StandardCharsets.UTF_8));
        List<ProcedureIdentifier> steps = new ArrayList<>();
        steps.add(step.currentStep());
        steps.addAll(step.nextSteps());
        records.failUnreachable(step.pipelineId(), steps,
                "node '" + step.currentStep().nodeId() + "' is unreachable (" + event.brokerReply() + ")");
    }

    private void deleteQuietly(List<Long> ids) {
        try {
            outbox.delete(ids);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Outbox rows {0} not deleted ({1}); the relay will resend them (duplicates are tolerated)",
                    ids, e.getMessage());
        }
    }
}
