package org.aipipeline.runner.pipelines.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import org.aipipeline.runner.messaging.Deliveries;
import org.aipipeline.runner.messaging.IncomingMessage;
import org.aipipeline.runner.messaging.RejectMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.control.StepOutcomes;
import org.aipipeline.runner.pipelines.entity.PipelineFailed;

/**
 * Consumes {@code failed-pipelines-queue} from start-up (after the schema exists). The
 * delivery is acknowledged only after {@link StepOutcomes} committed; an unparseable body or an
 * unknown pipeline goes to the dead-letter queue with the reason, anything else is retried.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class PipelineFailedConsumer {

    @Inject
    Deliveries deliveries;

    @Inject
    Topology topology;

    @Inject
    StepOutcomes outcomes;

    private Deliveries.Subscription subscription;

    @PostConstruct
    void start() {
        subscription = deliveries.consume(topology.failedPipelinesQueue(), this::handle);
    }

    private void handle(IncomingMessage message) {
        PipelineFailed report;
        try {
            report = PipelineFailed.fromJson(message.bodyText());
        } catch (IllegalArgumentException e) {
            throw new RejectMessage("unparseable PipelineFailed: " + e.getMessage(), e);
        }
        outcomes.recordFailure(report);
    }

    @PreDestroy
    void stop() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
