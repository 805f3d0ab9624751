package org.aipipeline.runner.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes what the outbox still holds after {@code pipelines.outbox.min-age}: messages whose
 * publisher crashed (or lost the broker) between the commit and the confirm. Runs every
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
    ConfirmedPublisher publisher;

    @Inject
    Broker broker;

    @Inject
    Event<OutboxUnroutable> unroutable;

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

    /** Publishes due rows until none are left (or publishing fails); returns how many were sent. */
    public int relayDue() {
        int sent = 0;
        while (true) {
            List<OutboxEntry> due = outbox.claimDue(DatabaseTime.now(), CLAIM, minAge);
            if (due.isEmpty()) {
                return sent;
            }
            LOG.log(Level.INFO, "Relaying {0} outbox message(s) left unsent", due.size());
            sent += publish(due);
            if (due.size() < CLAIM) {
                return sent;
            }
        }
    }

    /** Publishes the entries with confirms, deletes what was confirmed or unroutable. */
    public int publish(List<OutboxEntry> entries) {
        Map<String, OutboxEntry> byMessageId = new HashMap<>();
        entries.forEach(entry -> byMessageId.put(entry.message().messageId(), entry));
        List<OutgoingMessage> returned = publisher.publishAll(entries.stream().map(OutboxEntry::message).toList());
        List<Long> done = new ArrayList<>(entries.size());
        for (OutboxEntry entry : entries) {
            done.add(entry.id());
        }
        for (OutgoingMessage message : returned) {
            OutboxEntry entry = byMessageId.get(message.messageId());
            unroutable.fire(new OutboxUnroutable(entry, "unroutable: no queue bound for " + message.routingKey()));
        }
        outbox.delete(done);
        return entries.size() - returned.size();
    }
}
