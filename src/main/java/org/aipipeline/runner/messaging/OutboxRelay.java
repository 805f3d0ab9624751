package org.aipipeline.runner.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Sends again what the outbox still holds after {@code pipelines.outbox.min-age}: messages whose
 * runner crashed (or lost the broker, or was nacked) between the commit and the confirm. Runs every
 * {@code pipelines.outbox.relay-interval} on the container's scheduler; several runner instances
 * may run it at once, {@link Outbox#claimDue} keeps them off each other's rows.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final System.Logger LOG = System.getLogger(OutboxRelay.class.getName());
    private static final int CLAIM = 500;

    @Inject
    Outbox outbox;

    @Inject
    OutboxPublisher publisher;

    @Inject
    Broker broker;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.relay-interval", defaultValue = "PT5S")
    Duration interval;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration minAge;

    private ScheduledFuture<?> task;

    @PostConstruct
    void start() {
        task = scheduler.scheduleWithFixedDelay(this::relaySafely, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    void startEagerly(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        LOG.log(Level.DEBUG, "Outbox relay every {0}", interval);
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
    }

    private void relaySafely() {
        try {
            if (broker.isConnected()) {
                relayDue();
            }
        } catch (RuntimeException e) {
            // Never let an exception cancel the schedule; the rows stay and are tried again.
            LOG.log(Level.WARNING, "Outbox relay round failed: " + e.getMessage());
        }
    }

    /** Hands due rows to the publisher until none are left; returns how many were handed over. */
    public int relayDue() {
        int sent = 0;
        while (true) {
            List<OutboxEntry> due = outbox.claimDue(DatabaseTime.now(), CLAIM, minAge);
            if (due.isEmpty()) {
                return sent;
            }
            LOG.log(Level.INFO, "Relaying {0} outbox message(s) left unsent", due.size());
            publisher.send(due);
            sent += due.size();
            if (due.size() < CLAIM) {
                return sent;
            }
        }
    }
}
