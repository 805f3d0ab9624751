package org.aipipeline.runner.messaging;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.ApplicationMetrics;
import org.aipipeline.runner.platform.control.DatabaseCount;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Messaging on {@code /metrics} (application scope): messages dead-lettered, by queue and kind of
 * reason, and the outbox backlog (messages recorded but not yet confirmed by the broker, on every
 * instance: a count of the outbox table).
 */
@ApplicationScoped
public class MessagingMetrics {

    private static final String BACKLOG = "select count(*) from outbox";

    @Inject
    ApplicationMetrics metrics;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    void registerGauges(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        metrics.registry()
                .ifPresent(registry -> registry.gauge(
                        Metadata.builder()
                                .withName("runner_outbox_backlog")
                                .withDescription(
                                        "Messages in the outbox: recorded, not yet confirmed by the broker (-1: database down)")
                                .build(),
                        this,
                        MessagingMetrics::backlog));
    }

    /** A message moved to the dead-letter queue; {@code kind} is one of few values (see DeadLetters#kindOf). */
    void deadLettered(String queue, String kind) {
        metrics.registry()
                .ifPresent(registry -> registry.counter(
                                Metadata.builder()
                                        .withName("runner_dead_lettered_messages")
                                        .withDescription(
                                                "Messages dead-lettered, by the queue they came from and the kind of reason")
                                        .build(),
                                new Tag("queue", queue),
                                new Tag("kind", kind))
                        .inc());
    }

    private long backlog() {
        return DatabaseCount.of(dataSource, BACKLOG);
    }
}
