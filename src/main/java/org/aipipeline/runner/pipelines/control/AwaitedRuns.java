package org.aipipeline.runner.pipelines.control;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Timeout;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.messaging.Broker;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.entity.PipelineFinished;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.entity.RunStatus;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Awaited runs of this instance: a future per pipeline id, completed when the run finishes.
 *
 * <p>Works across instances: whichever instance stores the last step announces it on the
 * {@code runner-pipeline-finished} fanout, and every instance consumes it through its own
 * exclusive, auto-delete, server-named queue, so the instance holding the request hears it.
 * Announcements are best effort, so each waiter also re-reads the database right after it was
 * registered (the run may have finished before) and then every {@code pipelines.awaited.poll-interval}
 * in case an announcement was lost. The in-memory map only routes the signal; the truth is the database.
 */
@ApplicationScoped
public class AwaitedRuns {

    private static final System.Logger LOG = System.getLogger(AwaitedRuns.class.getName());

    @Inject
    Broker broker;

    @Inject
    Topology topology;

    @Inject
    PipelineResults results;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @ConfigProperty(name = "pipelines.awaited.poll-interval", defaultValue = "PT2S")
    Duration pollInterval;

    private final Map<UUID, CompletableFuture<RunStatus>> waiting = new ConcurrentHashMap<>();

    @PostConstruct
    void listen() {
        // Runs on the first connection; amqp-client's topology recovery redeclares the server-named
        // queue, its binding and the consumer after a reconnect.
        broker.onConnected(connection -> {
            Channel channel = broker.openChannel();
            if (!topology.isDeclared()) {
                topology.declareAll();
            }
            String queue = channel.queueDeclare("", false, true, true, null).getQueue();
            channel.queueBind(queue, topology.pipelineFinishedExchange(), "");
            channel.basicConsume(queue, true, new DefaultConsumer(channel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    finished(new String(body, StandardCharsets.UTF_8));
                }
            });
            LOG.log(Level.INFO, "Listening for finished pipelines on {0}", queue);
        });
    }

    void startEagerly(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        LOG.log(Level.DEBUG, "Awaited runs ready; waiting on {0}", waiting.size());
    }

    private void finished(String body) {
        try {
            PipelineFinished finished = PipelineFinished.fromJson(body);
            CompletableFuture<RunStatus> waiter = waiting.get(finished.pipelineId());
            if (waiter != null) {
                waiter.complete(finished.status());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Ignoring an unreadable pipeline-finished announcement: {0}", e.getMessage());
        }
    }

    /**
     * Registers interest in a run before it is dispatched; the future completes with the final
     * status, or exceptionally with a TimeoutException after {@code timeout}.
     */
    public CompletableFuture<RunStatus> register(UUID pipelineId, Duration timeout) {
        CompletableFuture<RunStatus> waiter = new CompletableFuture<>();
        waiting.put(pipelineId, waiter);
        ScheduledFuture<?> poll = scheduler.scheduleWithFixedDelay(() -> recheck(pipelineId, waiter),
                pollInterval.toMillis(), pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        waiter.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((status, error) -> {
            poll.cancel(false);
            waiting.remove(pipelineId, waiter);
        });
        return waiter;
    }

    /**
     * The wait as seen by the request, under MicroProfile Fault Tolerance. The method returns at
     * once (no thread is held while waiting); {@code @Timeout} is the platform-wide bound on any
     * awaited run, the longest allowed {@code timeoutSeconds} plus a margin, while each request's
     * own, shorter timeout is the {@code orTimeout} of {@link #register}.
     */
    @Asynchronous
    @Timeout(value = 3630, unit = ChronoUnit.SECONDS)
    public CompletionStage<RunStatus> completion(CompletableFuture<RunStatus> waiter) {
        return waiter;
    }

    /** Re-reads the run once now: it may have finished before the waiter was registered. */
    public void recheck(UUID pipelineId, CompletableFuture<RunStatus> waiter) {
        try {
            Optional<RunStatus> status = results.statusOf(pipelineId);
            if (status.isPresent() && status.get().isFinished()) {
                waiter.complete(status.get());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Re-checking pipeline {0} failed: {1}", pipelineId, e.getMessage());
        }
    }

    /** Stops waiting (the run could not be dispatched). */
    public void forget(UUID pipelineId) {
        CompletableFuture<RunStatus> waiter = waiting.remove(pipelineId);
        if (waiter != null) {
            waiter.cancel(false);
        }
    }
}
