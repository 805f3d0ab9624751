package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.files.control.FileServiceClient;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.messaging.AnnouncedChanges;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.RunPipelineStep;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.control.RunRecords.DueRetry;
import org.aipipeline.runner.results.control.StepPlan;

/**
 * Dispatches the next attempt of steps whose backoff is over (called by the {@link StepDeadlines}
 * sweep): the same RunPipelineStep the step got the first time, rebuilt from what is stored — the
 * run's input for step 1, else the result the previous step reported — with the steps after it
 * from the run's plan and the fileReferences of the files its input names.
 *
 * <p>Each attempt is dispatched once: its message and the end of its wait are committed together
 * ({@link AnnouncedChanges}), conditional on the wait not having ended already (another
 * instance's sweep).
 */
@ApplicationScoped
public class StepRetries {

    private static final System.Logger LOG = System.getLogger(StepRetries.class.getName());
    private static final ApElementJson AP_JSON = new ApElementJson();
    static final int CHUNK = 500;
    /** How long a retry whose input has not reached the runner yet waits before it is looked at again. */
    static final Duration INPUT_WAIT = Duration.ofSeconds(1);

    @Inject
    RunRecords records;

    @Inject
    AnnouncedChanges changes;

    @Inject
    Topology topology;

    @Inject
    FileServiceClient fileService;

    /**
     * Dispatches every retry due at {@code now}; answers how many.
     *
     * @throws RunnerException.Unavailable the database failed (what was dispatched stays dispatched)
     */
    public int dispatchDue(Instant now) {
        int dispatched = 0;
        List<DueRetry> due;
        do {
            due = records.dueRetries(now, CHUNK);
            List<DueRetry> ready = new ArrayList<>(due.size());
            for (DueRetry retry : due) {
                if (retry.inputJson() == null) {
                    // The previous step's StepCompleted is still on its way (reports are recorded in
                    // batches, in any order): the attempt waits for it rather than run on nothing.
                    records.postponeRetry(retry.pipelineId(), now.plus(INPUT_WAIT));
                } else {
                    ready.add(retry);
                }
            }
            dispatched += dispatch(ready, now);
        } while (due.size() == CHUNK);
        if (dispatched > 0) {
            LOG.log(Level.INFO, "Dispatched the next attempt of {0} failed step(s)", dispatched);
        }
        return dispatched;
    }

    private int dispatch(List<DueRetry> ready, Instant now) {
        if (ready.isEmpty()) {
            return 0;
        }
        List<DueRetry> retries = new ArrayList<>(ready.size());
        List<OutboxMessage> messages = new ArrayList<>(ready.size());
        for (DueRetry retry : ready) {
            try {
                messages.add(
                        new OutboxMessage(message(retry), retry.pipelineId().toString()));
                retries.add(retry);
            } catch (RunnerException.Unavailable e) {
                LOG.log(
                        Level.WARNING,
                        "Step {0} of pipeline {1} waits for the File Service to be attempted again: {2}",
                        retry.order(),
                        retry.pipelineId(),
                        e.getMessage());
            }
        }
        try {
            return changes.commit(now, connection -> {
                List<OutboxMessage> toSend = new ArrayList<>(messages.size());
                for (int i = 0; i < retries.size(); i++) {
                    if (records.retryDispatched(connection, retries.get(i), now)) {
                        toSend.add(messages.get(i));
                    }
                }
                return new AnnouncedChanges.Change<>(toSend.size(), toSend);
            });
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot dispatch the retries that are due: " + e.getMessage());
        }
    }

    /** The RunPipelineStep of the retried step, as the node before it (or the runner, for step 1) sent it. */
    private OutgoingMessage message(DueRetry retry) {
        StepPlan plan = retry.plan();
        List<ProcedureIdentifier> steps = new ArrayList<>(plan.steps().size());
        for (int order = retry.order(); order <= plan.steps().size(); order++) {
            StepPlan.Step step = plan.step(order);
            steps.add(new ProcedureIdentifier(step.nodeId(), step.procedureId(), order, step.outputValueSelector()));
        }
        ApElement input = AP_JSON.parse(retry.inputJson());
        Set<UUID> fileIds = FileInInput.ids(input);
        Map<UUID, StoredFile> files = fileIds.isEmpty()
                ? Map.of()
                : FileInInput.usableBy(retry.userId(), fileService.getMany(retry.userId(), fileIds, false));
        RunPipelineStep step = new RunPipelineStep(
                retry.pipelineId(),
                retry.userId(),
                steps.get(0),
                input,
                steps.subList(1, steps.size()),
                FileInInput.references(input, files));
        return OutgoingMessage.of(
                topology.runPipelineExchange(),
                Topology.nodeRoutingKey(steps.get(0).nodeId()),
                MessageType.RUN_PIPELINE_STEP,
                step.toJsonText().getBytes(StandardCharsets.UTF_8));
    }
}
