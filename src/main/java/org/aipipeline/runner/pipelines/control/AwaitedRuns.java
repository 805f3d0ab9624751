package org.aipipeline.runner.pipelines.control;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.aipipeline.runner.messaging.Announcer;
import org.aipipeline.runner.messaging.Broker;
import org.aipipeline.runner.messaging.MessageType;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.pipelines.entity.PipelineFinished;
import org.aipipeline.runner.platform.control.ApplicationMetrics;
import org.aipipeline.runner.platform.control.Periodic;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.entity.RunStatus;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.Asynchronous;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.metrics.Metadata;

/**
 * The awaited run, in one place: register a waiter, dispatch, learn that it finished, time out.
 * No thread waits: a waiter is a future completed by whoever learns the news.
 *
 * <p>How the news arrives: when this instance records the run's last step, {@link #finished}
 * completes the waiter in-process. Runs finished here that nobody here awaits are announced, many
 * per message, on the {@code runner-pipeline-finished} fanout, which every instance consumes
 * through its own exclusive, auto-delete, server-named queue, so an awaited request held by
 * another instance is answered too. Announcements are best effort, so one sweep every
 * {@code pipelines.awaited.poll-interval} re-reads the runs that are still awaited. The in-memory
 * {@link RunWaiters} only route the signal; the truth is the database.
 */
@ApplicationScoped
public class AwaitedRuns implements Periodic {

    private static final System.Logger LOG = System.getLogger(AwaitedRuns.class.getName());

    @Inject
    Broker broker;

    @Inject
    Topology topology;

    @Inject
    Announcer announcer;

    @Inject
    PipelineDispatcher dispatcher;

    @Inject
    PipelineResults results;

    @Inject
    ApplicationMetrics metrics;

    @Inject
    @ConfigProperty(name = "pipelines.awaited.poll-interval", defaultValue = "PT2S")
    Duration pollInterval;

    private final RunWaiters waiters = new RunWaiters();

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
                public void handleDelivery(
                        String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
                    announced(new String(body, StandardCharsets.UTF_8));
                }
            });
            LOG.log(Level.INFO, "Listening for finished pipelines on {0}", queue);
        });
        // The waits of this instance, on /metrics (where the server has a registry).
        metrics.registry()
                .ifPresent(registry -> registry.gauge(
                        Metadata.builder()
                                .withName("runner_awaited_waits_in_flight")
                                .withDescription("Awaited requests (POST /Pipelines/Awaited) waiting on this instance")
                                .build(),
                        waiters,
                        RunWaiters::size));
    }

    /**
     * Registers the run's waiter, dispatches it and answers its final status, exceptionally with
     * a {@link java.util.concurrent.TimeoutException} after {@code timeout}. {@code @Timeout} is
     * the platform-wide bound on any awaited run (the longest allowed {@code timeoutSeconds} plus
     * a margin), applied by MicroProfile Fault Tolerance to the returned stage; each request's own,
     * shorter timeout is the future's {@code orTimeout}. The waiter exists before the dispatch, so
     * no finish can slip in between. A keyed request (else null) claims its Idempotency-Key in
     * the run's transaction; its replay answers the run's result ({@link #await}).
     *
     * @throws org.aipipeline.runner.platform.control.RunnerException the run could not be recorded
     * @throws IdempotencyKeys.Taken a concurrent submission with the key committed first
     */
    @Asynchronous
    @Timeout(value = 3630, unit = ChronoUnit.SECONDS)
    public CompletionStage<RunStatus> run(PipelinePlan plan, Duration timeout, IdempotentRequest keyed) {
        UUID pipelineId = plan.runs().get(0).pipelineId();
        CompletableFuture<RunStatus> mine = waiters.await(pipelineId, timeout);
        try {
            dispatcher.dispatch(
                    plan,
                    null,
                    keyed,
                    keyed == null ? null : new IdempotencyKeys.Original(200, null, pipelineId, null));
        } catch (RuntimeException e) {
            mine.cancel(false);
            throw e;
        }
        return mine;
    }

    /**
     * Waits, up to {@code timeout}, for a run dispatched before (the replay of an awaited
     * submission): at once if it finished already, else as its first request does, sharing its waiter.
     */
    public CompletionStage<RunStatus> await(UUID pipelineId, Duration timeout) {
        CompletableFuture<RunStatus> mine = waiters.await(pipelineId, timeout);
        try {
            results.statusOf(pipelineId)
                    .filter(RunStatus::isFinished)
                    .ifPresent(status -> waiters.answer(pipelineId, status));
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
        }
        return mine;
    }

    /**
     * Runs this instance just finished: their waiters here are answered at once, the rest are
     * announced to the other instances in one message.
     */
    public void finished(List<RunRecords.Finished> runs) {
        List<PipelineFinished> elsewhere = new ArrayList<>();
        for (RunRecords.Finished run : runs) {
            if (!waiters.answer(run.pipelineId(), run.status())) {
                elsewhere.add(new PipelineFinished(run.pipelineId(), run.status()));
            }
        }
        if (!elsewhere.isEmpty()) {
            announcer.announce(
                    topology.pipelineFinishedExchange(),
                    "",
                    MessageType.PIPELINE_FINISHED,
                    PipelineFinished.toJson(elsewhere).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void announced(String body) {
        try {
            for (PipelineFinished run : PipelineFinished.listFromJson(body)) {
                waiters.answer(run.pipelineId(), run.status());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "Ignoring an unreadable pipeline-finished announcement: {0}", e.getMessage());
        }
    }

    @Override
    public Duration interval() {
        return pollInterval;
    }

    /** The slow path for a lost announcement: re-read every run still awaited here. */
    @Override
    public void runRound() {
        waiters.runs().forEach(pipelineId -> {
            try {
                results.statusOf(pipelineId)
                        .filter(RunStatus::isFinished)
                        .ifPresent(status -> waiters.answer(pipelineId, status));
            } catch (RuntimeException e) {
                LOG.log(Level.DEBUG, "Re-checking pipeline {0} failed: {1}", pipelineId, e.getMessage());
            }
        });
    }
}
