package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.messaging.AnnouncedChanges;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.entity.CancelPipeline;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunRecords;

/**
 * Cancelling runs, as dispatching is done: one transaction marks the runs Cancelled (with their
 * remaining steps not run) and announces each with a CancelPipeline ({@link AnnouncedChanges});
 * after the commit the batches are finished and awaited requests answered. The decision is the conditional UPDATE in
 * {@link RunRecords#cancelRuns}: a run that finished meanwhile keeps its outcome.
 */
@ApplicationScoped
public class RunCancellations {

    @Inject
    RunRecords records;

    @Inject
    AnnouncedChanges changes;

    @Inject
    Topology topology;

    @Inject
    AwaitedRuns awaited;

    /**
     * Cancels the owner's running run {@code id} or, with {@code inBatch}, every running run of
     * batch {@code id}; answers how many this call cancelled (none if nothing was running).
     */
    public int cancel(UUID userId, UUID id, boolean inBatch, String username) {
        Instant now = DatabaseTime.now();
        RunRecords.Cancellation cancellation;
        try {
            cancellation = changes.commit(now, connection -> {
                RunRecords.Cancellation cancelled =
                        records.cancelRuns(connection, userId, id, inBatch, "cancelled by " + username, now);
                List<OutboxMessage> messages = cancelled.cancelled().stream()
                        .map(run -> new OutboxMessage(
                                OutgoingMessage.of(
                                        topology.pipelineCancellationsExchange(),
                                        "",
                                        MessageType.CANCEL_PIPELINE,
                                        new CancelPipeline(run.pipelineId(), now)
                                                .toJson()
                                                .getBytes(StandardCharsets.UTF_8)),
                                run.pipelineId().toString()))
                        .toList();
                return new AnnouncedChanges.Change<>(cancelled, messages);
            });
            records.counted(cancellation);
            if (!cancellation.batches().isEmpty()) {
                records.finishBatches(cancellation.batches());
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot cancel: " + e.getMessage());
        }
        if (!cancellation.cancelled().isEmpty()) {
            awaited.finished(cancellation.cancelled());
        }
        return cancellation.cancelled().size();
    }
}
