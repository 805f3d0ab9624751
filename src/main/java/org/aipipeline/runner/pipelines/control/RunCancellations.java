package org.aipipeline.runner.pipelines.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Outbox;
import org.aipipeline.runner.messaging.OutboxEntry;
import org.aipipeline.runner.messaging.OutboxMessage;
import org.aipipeline.runner.messaging.OutboxPublisher;
import org.aipipeline.runner.messaging.OutgoingMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.entity.CancelPipeline;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Cancelling runs, as dispatching is done: one transaction marks the runs Cancelled (with their
 * remaining steps not run) and puts a CancelPipeline per run in the outbox; after the commit the
 * batches are finished, the messages handed to the publisher (the relay sends what a crash left)
 * and awaited requests answered. The decision is the conditional UPDATE in
 * {@link RunRecords#cancelRuns}: a run that finished meanwhile keeps its outcome.
 */
@ApplicationScoped
public class RunCancellations {

    @Inject
    RunRecords records;

    @Inject
    Outbox outbox;

    @Inject
    OutboxPublisher publisher;

    @Inject
    Topology topology;

    @Inject
    AwaitedRuns awaited;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration relayAfter;

    /**
     * Cancels the owner's running run {@code id} or, with {@code inBatch}, every running run of
     * batch {@code id}; answers how many this call cancelled (none if nothing was running).
     */
    public int cancel(UUID userId, UUID id, boolean inBatch, String username) {
        Instant now = DatabaseTime.now();
        RunRecords.Cancellation cancellation;
        List<OutboxEntry> entries;
        try {
            record Done(RunRecords.Cancellation cancellation, List<OutboxEntry> entries) {
            }
            Done done = LocalTransaction.run(dataSource, connection -> {
                RunRecords.Cancellation cancelled = records.cancelRuns(connection, userId, id, inBatch,
                        "cancelled by " + username, now);
                List<OutboxMessage> messages = cancelled.cancelled().stream()
                        .map(run -> new OutboxMessage(OutgoingMessage.of(topology.pipelineCancellationsExchange(), "",
                                MessageType.CANCEL_PIPELINE, new CancelPipeline(run.pipelineId(), now).toJson()
                                        .getBytes(StandardCharsets.UTF_8)), run.pipelineId().toString()))
                        .toList();
                return new Done(cancelled, messages.isEmpty() ? List.of() : outbox.add(connection, messages, now, relayAfter));
            });
            cancellation = done.cancellation();
            entries = done.entries();
            if (!cancellation.batches().isEmpty()) {
                records.finishBatches(cancellation.batches());
            }
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot cancel: " + e.getMessage());
        }
        if (!entries.isEmpty()) {
            publisher.send(entries);
        }
        if (!cancellation.cancelled().isEmpty()) {
            awaited.finished(cancellation.cancelled());
        }
        return cancellation.cancelled().size();
    }
}
