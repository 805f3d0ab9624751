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
import org.aipipeline.runner.pipelines.entity.StepCompleted;

/**
 * Consumes {@code completed-pipeline-steps-queue} from start-up (after the schema exists). The
 * delivery is acknowledged only after {@link StepOutcomes} committed; an unparseable body or an
 * unknown pipeline goes to the dead-letter queue with the reason, anything else is retried.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class StepCompletedConsumer {

    @Inject
    Deliveries deliveries;

    @Inject
    Topology topology;

    @Inject
    StepOutcomes outcomes;

    private Deliveries.Subscription subscription;

    @PostConstruct
    void start() {
        subscription = deliveries.consume(topology.completedPipelineStepsQueue(), this::handle);
    }

    private void handle(IncomingMessage message) {
        StepCompleted report;
        try {
            report = StepCompleted.fromJson(message.bodyText());
        } catch (IllegalArgumentException e) {
            throw new RejectMessage("unparseable StepCompleted: " + e.getMessage(), e);
        }
        outcomes.recordCompletion(report);
    }

    @PreDestroy
    void stop() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
