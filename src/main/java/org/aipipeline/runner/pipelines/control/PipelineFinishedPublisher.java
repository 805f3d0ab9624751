package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import org.aipipeline.runner.messaging.ConfirmedPublisher;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.messaging.Unroutable;
import org.aipipeline.runner.pipelines.entity.PipelineFinished;

/**
 * Announces finished pipelines on the {@code runner-pipeline-finished} fanout once the finishing
 * transaction committed (never before: a listener reading the result must find it finished).
 *
 * <p>Best effort by design: the announcement only wakes awaited requests early, and those also
 * poll the database, so a failed publish is logged and the report is still acknowledged. A return
 * as unroutable just means no runner instance is awaiting anything right now.
 */
@ApplicationScoped
public class PipelineFinishedPublisher {

    private static final System.Logger LOG = System.getLogger(PipelineFinishedPublisher.class.getName());

    @Inject
    ConfirmedPublisher publisher;

    @Inject
    Topology topology;

    void announce(@Observes(during = TransactionPhase.AFTER_SUCCESS) PipelineFinished finished) {
        try {
            publisher.publish(topology.pipelineFinishedExchange(), "", MessageType.PIPELINE_FINISHED,
                    finished.toJson().getBytes(StandardCharsets.UTF_8));
        } catch (Unroutable nobodyListens) {
            LOG.log(Level.DEBUG, "No runner instance listens for finished pipelines ({0})", finished.pipelineId());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not announce that pipeline {0} {1}; awaiting instances will see it by polling: {2}",
                    finished.pipelineId(), finished.status(), e.getMessage());
        }
    }
}
