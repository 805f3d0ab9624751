package org.aipipeline.runner.pipelines.control;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Outbox;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.control.PipelinePlan.PlannedRun;
import org.aipipeline.runner.pipelines.entity.PipelineFinished;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What the dispatcher writes. {@link #record} stores a plan's runs (status Running), its batch if
 * any, and the first RunPipelineStep of each run in the outbox, all in one transaction: either
 * every run exists with its message waiting to be sent, or nothing does.
 */
@Stateless
public class PipelineRecords {

    private static final System.Logger LOG = System.getLogger(PipelineRecords.class.getName());
    private static final ApElementJson AP_JSON = new ApElementJson();
    private static final String INSERT_BATCH = "insert into pipeline_batches (id, user_id, total_pipeline_count, created_at) "
            + "values (?, ?, ?, ?)";
    /** The batch's count slots (V5): made with the batch, so finishing runs only ever update them. */
    private static final String INSERT_COUNT_SLOT = "insert into pipeline_batch_counts (batch_id, slot) values (?, ?)";
    private static final String INSERT_RESULT = "insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, "
            + "initial_input, step_count, created_at, updated_at) values (?, ?, ?, ?, 'Running', ?, ?, ?, ?)";
    private static final String FINISH_BATCH = "update pipeline_batches set finished_at = ? where id = ? and finished_at is null "
            + "and not exists (select 1 from pipeline_results r where r.batch_id = ? and r.status = 'Running')";
    private static final int JDBC_BATCH = 500;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @PersistenceContext
    EntityManager em;

    @Inject
    Outbox outbox;

    @Inject
    Topology topology;

    /** Announced after commit, so runner instances awaiting the run answer at once. */
    @Inject
    Event<PipelineFinished> finished;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration relayAfter;

    /** The runs and outbox rows written for a plan; outbox ids in the order of the plan's runs. */
    public record Recorded(UUID batchId, List<Long> outboxIds, List<OutgoingMessage> messages, Instant createdAt) {
    }

    /** Stores the plan (and its batch when {@code batchId} is not null) with its outbox rows: one transaction. */
    public Recorded record(PipelinePlan plan, UUID batchId) {
        Instant now = DatabaseTime.now();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        List<OutboxMessage> messages = new ArrayList<>(plan.runs().size());
        try (Connection connection = dataSource.getConnection()) {
            if (batchId != null) {
                try (PreparedStatement batch = connection.prepareStatement(INSERT_BATCH)) {
                    batch.setObject(1, batchId);
                    batch.setObject(2, plan.userId());
                    batch.setInt(3, plan.runs().size());
                    batch.setObject(4, at);
                    batch.executeUpdate();
                }
                try (PreparedStatement slots = connection.prepareStatement(INSERT_COUNT_SLOT)) {
                    for (int slot = 0; slot < StepOutcomes.BATCH_COUNT_SLOTS; slot++) {
                        slots.setObject(1, batchId);
                        slots.setInt(2, slot);
                        slots.addBatch();
                    }
                    slots.executeBatch();
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT_RESULT)) {
                int pending = 0;
                for (PlannedRun run : plan.runs()) {
                    insert.setObject(1, UUID.randomUUID());
                    insert.setObject(2, run.pipelineId());
                    insert.setObject(3, plan.userId());
                    insert.setObject(4, batchId);
                    insert.setString(5, AP_JSON.print(run.input()));
                    insert.setInt(6, plan.steps().size());
                    insert.setObject(7, at);
                    insert.setObject(8, at);
                    insert.addBatch();
                    if (++pending == JDBC_BATCH) {
                        insert.executeBatch();
                        pending = 0;
                    }
                    messages.add(new OutboxMessage(firstStepMessage(run), run.pipelineId()));
                }
                if (pending > 0) {
                    insert.executeBatch();
                }
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot record the pipeline: " + e.getMessage());
        }
        List<Long> ids = outbox.add(messages, now, relayAfter);
        return new Recorded(batchId, ids, messages.stream().map(OutboxMessage::message).toList(), now);
    }

    private OutgoingMessage firstStepMessage(PlannedRun run) {
        String nodeId = run.firstStep().currentStep().nodeId();
        return OutgoingMessage.of(topology.runPipelineExchange(), Topology.nodeRoutingKey(nodeId),
                MessageType.RUN_PIPELINE_STEP, run.firstStep().toJsonText().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The first step could not be handed to its node: the run fails at once, step 1 with code 503
     * "node unreachable" and every later step not run, so nothing waits for a run that cannot
     * proceed. Does nothing if the run already finished. Its own transaction.
     *
     * @return whether this call finished the run
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public boolean failUnreachable(UUID pipelineId, List<ProcedureIdentifier> steps, String detail) {
        List<PipelineResult> found = em.createQuery("select r from PipelineResult r where r.pipelineId = :id",
                PipelineResult.class).setParameter("id", pipelineId).getResultList();
        if (found.isEmpty()) {
            return false;
        }
        PipelineResult result = found.get(0);
        Instant now = DatabaseTime.now();
        if (!result.finish(RunStatus.Failed, now, now)) {
            return false;
        }
        LOG.log(Level.WARNING, "Pipeline {0} failed before its first step: {1}", pipelineId, detail);
        for (ProcedureIdentifier step : steps) {
            if (em.find(StepResult.class, new StepResult.Key(pipelineId, step.orderInPipeline())) != null) {
                continue;
            }
            em.persist(step.orderInPipeline() == 1
                    ? StepResult.failed(pipelineId, 1, step.nodeId(), step.procedureId(), step.outputValueSelector(),
                            now, 503, "node unreachable")
                    : StepResult.notRun(pipelineId, step.orderInPipeline(), step.nodeId(), step.procedureId(),
                            step.outputValueSelector(), 503, "not run: node unreachable"));
        }
        if (result.getBatchId() != null) {
            StepOutcomes.countFinishedInBatch(em, result, RunStatus.Failed);
            em.flush();
            em.createNativeQuery(FINISH_BATCH).setParameter(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .setParameter(2, result.getBatchId()).setParameter(3, result.getBatchId()).executeUpdate();
        }
        finished.fire(new PipelineFinished(pipelineId, RunStatus.Failed));
        return true;
    }
}
