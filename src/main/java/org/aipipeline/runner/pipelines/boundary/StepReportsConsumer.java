package org.aipipeline.runner.pipelines.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.aipipeline.runner.messaging.Deliveries;
import org.aipipeline.runner.messaging.IncomingMessage;
import org.aipipeline.runner.messaging.RejectMessage;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.control.StepReports;
import org.aipipeline.runner.pipelines.entity.PipelineFailed;
import org.aipipeline.runner.pipelines.entity.StepCompleted;

/**
 * Consumes {@code completed-pipeline-steps-queue} and {@code failed-pipelines-queue} from
 * start-up (after the schema exists), in batches: each batch of deliveries is recorded in one
 * transaction and acknowledged with one multiple-ack after the commit. An unparseable body, an
 * unknown pipeline or a step outside the pipeline goes to the dead-letter queue with the reason;
 * a database failure makes the consumer retry the messages one by one.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@TransactionManagement(TransactionManagementType.BEAN)
public class StepReportsConsumer {

    @Inject
    Deliveries deliveries;

    @Inject
    Topology topology;

    @Inject
    StepReports reports;

    private final List<Deliveries.Subscription> subscriptions = new ArrayList<>();

    @PostConstruct
    void start() {
        subscriptions.add(deliveries.consumeInBatches(
                topology.completedPipelineStepsQueue(),
                messages -> record(
                        messages, body -> new StepReports.Completion(StepCompleted.fromJson(body)), "StepCompleted")));
        subscriptions.add(deliveries.consumeInBatches(
                topology.failedPipelinesQueue(),
                messages -> record(
                        messages, body -> new StepReports.Failure(PipelineFailed.fromJson(body)), "PipelineFailed")));
    }

    private Map<Integer, RuntimeException> record(
            List<IncomingMessage> messages, Function<String, StepReports.Report> parse, String type) {
        Map<Integer, RuntimeException> rejected = new HashMap<>();
        List<StepReports.Report> parsed = new ArrayList<>(messages.size());
        List<Integer> positions = new ArrayList<>(messages.size());
        for (int i = 0; i < messages.size(); i++) {
            try {
                parsed.add(parse.apply(messages.get(i).bodyText()));
                positions.add(i);
            } catch (IllegalArgumentException e) {
                rejected.put(i, new RejectMessage("unparseable " + type + ": " + e.getMessage(), e));
            }
        }
        if (!parsed.isEmpty()) {
            reports.record(parsed).forEach((index, reason) -> rejected.put(positions.get(index), reason));
        }
        return rejected;
    }

    @PreDestroy
    void stop() {
        subscriptions.forEach(Deliveries.Subscription::close);
    }
}
