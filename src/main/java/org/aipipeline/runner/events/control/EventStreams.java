package org.aipipeline.runner.events.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.Periodic;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.ResultWithSteps;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.control.WatchedRuns;
import org.aipipeline.runner.results.control.WatchedRuns.BatchProgress;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The open event streams of this instance and the one watcher that feeds them. No stream holds
 * a thread: a stream is a sink kept in a map. Every {@code events.watch-interval} one scheduled
 * task asks the database, in one query for all watched runs, which of them moved
 * ({@code updated_at} after now minus {@code events.watch-margin}; the margin covers transactions
 * that commit after the time they wrote, and instances' clocks), reads the rows of those whose
 * {@code updated_at} differs from what their streams last saw, and sends each stream the events
 * after its last one; batches are read in one query of their counters each time. Because it reads
 * the database, a stream learns of steps recorded by any instance. Finished streams and streams
 * whose client left (a failed write, at the latest the next keep-alive) are dropped. The watcher
 * only decides; the writes run on the managed executor, at most one per stream at a time, so a
 * client that stops reading (its socket buffers full) holds one thread and delays nobody else.
 */
@ApplicationScoped
public class EventStreams implements Periodic {

    private static final System.Logger LOG = System.getLogger(EventStreams.class.getName());
    private static final String KEEP_ALIVE = "keep-alive";

    @Inject
    PipelineResults results;

    @Inject
    WatchedRuns watched;

    /** Where the watcher's writes run, one at a time per stream, so a client that stops reading stalls no other. */
    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService writers;

    @Inject
    @ConfigProperty(name = "events.watch-interval", defaultValue = "PT0.3S")
    Duration watchInterval;

    @Inject
    @ConfigProperty(name = "events.watch-margin", defaultValue = "PT10S")
    Duration watchMargin;

    @Inject
    @ConfigProperty(name = "events.keep-alive-interval", defaultValue = "PT15S")
    Duration keepAliveInterval;

    @Inject
    @ConfigProperty(name = "events.max-streams-per-user", defaultValue = "1000")
    int maxStreamsPerUser;

    /** A run's stream, the run's step plan (read once: it never changes) and the {@code updated_at} it last saw. */
    private static final class RunWatch {
        final OpenStream stream;
        final StepPlan plan;
        volatile Instant seen;
        /** A change it was not sent because its previous write was still going on: read it again next round. */
        volatile boolean missed;

        RunWatch(OpenStream stream, StepPlan plan, Instant seen) {
            this.stream = stream;
            this.plan = plan;
            this.seen = seen;
        }
    }

    private final Map<UUID, Set<RunWatch>> runs = new ConcurrentHashMap<>();
    private final Map<UUID, Set<OpenStream>> batches = new ConcurrentHashMap<>();
    private volatile Instant lastKeepAlive = Instant.now();

    @Override
    public Duration interval() {
        return watchInterval;
    }

    @Override
    public void runRound() {
        watch();
    }

    @PreDestroy
    void stop() {
        runs.values().forEach(watches -> watches.forEach(watch -> watch.stream.close()));
        batches.values().forEach(streams -> streams.forEach(OpenStream::close));
    }

    /**
     * Opens a run's stream: sends the events after {@code lastEventId} (null: all) from
     * {@code run}, read just before, dispatched as {@code plan} (null for runs recorded before step
     * plans); then closes it if the run finished, or watches it.
     */
    public void openRun(ResultWithSteps run, StepPlan plan, EventId lastEventId, SseEventSink sink, Sse sse) {
        UUID userId = run.result().getUserId();
        refuseBeyondCap(userId);
        OpenStream stream = new OpenStream(sink, sse, lastEventId == null ? null : lastEventId.toString(), userId);
        RunWatch watch = new RunWatch(stream, plan, run.result().getUpdatedAt());
        UUID pipelineId = run.result().getPipelineId();
        if (push(watch, run) && stream.comment(KEEP_ALIVE)) {
            runs.computeIfAbsent(pipelineId, id -> ConcurrentHashMap.newKeySet())
                    .add(watch);
        }
    }

    /** Opens a batch's stream, as {@link #openRun} does for a run. */
    public void openBatch(
            UUID batchId, UUID userId, BatchProgress batch, String lastEventId, SseEventSink sink, Sse sse) {
        refuseBeyondCap(userId);
        OpenStream stream = new OpenStream(sink, sse, lastEventId, userId);
        if (push(stream, batch) && stream.comment(KEEP_ALIVE)) {
            batches.computeIfAbsent(batchId, id -> ConcurrentHashMap.newKeySet())
                    .add(stream);
        }
    }

    /**
     * A user may hold at most {@code events.max-streams-per-user} open streams on this instance, so
     * one client cannot take every connection and executor slot; the next is a 429 (before the
     * stream opens, so it is an ordinary problem response).
     */
    private void refuseBeyondCap(UUID userId) {
        long open = runs.values().stream()
                        .flatMap(Set::stream)
                        .map(watch -> watch.stream)
                        .filter(stream -> stream.isOwnedBy(userId) && stream.isOpen())
                        .count()
                + batches.values().stream()
                        .flatMap(Set::stream)
                        .filter(stream -> stream.isOwnedBy(userId) && stream.isOpen())
                        .count();
        if (open >= maxStreamsPerUser) {
            throw new RunnerException.TooManyRequests(
                    "You have " + open + " event streams open on this runner, the most "
                            + "allowed (events.max-streams-per-user); close one (streams of finished runs close by themselves) "
                            + "and try again",
                    5);
        }
    }

    /** Streams open on this instance (runs and batches). */
    public int openStreams() {
        return runs.values().stream().mapToInt(Set::size).sum()
                + batches.values().stream().mapToInt(Set::size).sum();
    }

    /** One round of the watcher; never throws, so the schedule goes on. */
    void watch() {
        try {
            watchRuns();
            watchBatches();
            keepAlive();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Event stream watcher round failed (trying again next round): " + e, e);
        }
    }

    private void watchRuns() {
        runs.values().forEach(watches -> watches.removeIf(watch -> !watch.stream.isOpen()));
        runs.values().removeIf(Set::isEmpty);
        if (runs.isEmpty()) {
            return;
        }
        Map<UUID, Instant> moved =
                watched.updatedSince(runs.keySet(), DatabaseTime.now().minus(watchMargin));
        Set<UUID> changed = new LinkedHashSet<>();
        moved.forEach((pipelineId, updatedAt) -> {
            Set<RunWatch> watches = runs.getOrDefault(pipelineId, Set.of());
            if (watches.stream().anyMatch(watch -> !updatedAt.equals(watch.seen))) {
                changed.add(pipelineId);
            }
        });
        // A skipped stream may have missed a change that is older than the margin by now.
        runs.forEach((pipelineId, watches) -> {
            if (watches.stream().anyMatch(watch -> watch.missed)) {
                changed.add(pipelineId);
            }
        });
        if (changed.isEmpty()) {
            return;
        }
        for (ResultWithSteps run : results.withSteps(changed)) {
            for (RunWatch watch : runs.getOrDefault(run.result().getPipelineId(), Set.of())) {
                watch.missed = !watch.stream.offer(writers, () -> {
                    if (push(watch, run)) {
                        watch.seen = run.result().getUpdatedAt();
                    }
                });
            }
        }
    }

    private void watchBatches() {
        batches.values().forEach(streams -> streams.removeIf(stream -> !stream.isOpen()));
        batches.values().removeIf(Set::isEmpty);
        if (batches.isEmpty()) {
            return;
        }
        watched.batches(batches.keySet()).forEach((batchId, batch) -> {
            for (OpenStream stream : batches.getOrDefault(batchId, Set.of())) {
                stream.offer(writers, () -> push(stream, batch));
            }
        });
    }

    private void keepAlive() {
        Instant now = Instant.now();
        if (now.isBefore(lastKeepAlive.plus(keepAliveInterval))) {
            return;
        }
        lastKeepAlive = now;
        runs.values()
                .forEach(watches ->
                        watches.forEach(watch -> watch.stream.offer(writers, () -> watch.stream.comment(KEEP_ALIVE))));
        batches.values()
                .forEach(streams -> streams.forEach(stream -> stream.offer(writers, () -> stream.comment(KEEP_ALIVE))));
    }

    /** Sends what the stream misses of the run; closes it once the run finished. True while it stays open. */
    private static boolean push(RunWatch watch, ResultWithSteps run) {
        OpenStream stream = watch.stream;
        synchronized (stream) {
            String last = stream.lastId();
            List<StreamEvent> events = RunEvents.after(
                    RunEvents.of(RunState.of(run, watch.plan)), last == null ? null : EventId.parse(last));
            return send(stream, events, run.result().getStatus().isFinished());
        }
    }

    private static boolean push(OpenStream stream, BatchProgress batch) {
        synchronized (stream) {
            return send(stream, BatchEvents.after(batch, stream.lastId()), batch.finishedAt() != null);
        }
    }

    private static boolean send(OpenStream stream, List<StreamEvent> events, boolean finished) {
        if (!stream.send(events)) {
            return false;
        }
        if (finished) {
            stream.close();
            return false;
        }
        return true;
    }
}
