package org.aipipeline.runner.pipelines.control;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * The awaited requests of this instance, by run. One run has one waiter, shared by every request
 * awaiting it (its first request and the replays of its Idempotency-Key); each request holds a
 * copy of the waiter's future with its own timeout, and the waiter leaves the map with its last
 * request, whether that one was answered, timed out or cancelled. Only routes the signal: whoever
 * learns that a run finished {@link #answer}s it.
 */
final class RunWaiters {

    private static final class Waiter {
        final CompletableFuture<RunStatus> finished = new CompletableFuture<>();
        /** Changed only inside the map's compute functions. */
        int requests;
    }

    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();

    /**
     * A new request for the run's final status, completed exceptionally with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}; cancel it to withdraw it.
     */
    CompletableFuture<RunStatus> await(UUID pipelineId, Duration timeout) {
        Waiter waiter = waiting.compute(pipelineId, (id, existing) -> {
            Waiter joined = existing == null ? new Waiter() : existing;
            joined.requests++;
            return joined;
        });
        CompletableFuture<RunStatus> mine = waiter.finished.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        mine.whenComplete((status, error) -> waiting.computeIfPresent(
                pipelineId, (id, current) -> current != waiter || --current.requests > 0 ? current : null));
        return mine;
    }

    /** Answers every request awaiting the run here; false if there is none. */
    boolean answer(UUID pipelineId, RunStatus status) {
        Waiter waiter = waiting.get(pipelineId);
        if (waiter == null) {
            return false;
        }
        waiter.finished.complete(status);
        return true;
    }

    /** The runs awaited here now (a live view). */
    Set<UUID> runs() {
        return waiting.keySet();
    }

    int size() {
        return waiting.size();
    }
}
