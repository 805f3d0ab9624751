package org.aipipeline.runner.events.control;

import jakarta.json.JsonObjectBuilder;
import java.util.ArrayList;
import java.util.List;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.WatchedRuns.BatchProgress;

/**
 * The events of a batch, a pure function of its counters: {@code progress} {total, succeeded,
 * failed, running} with id {@code progress:<succeeded>:<failed>} (so the same counts are never
 * sent twice, and a client resuming with the id of the current counts gets nothing new), then,
 * once the batch finished, {@code finished} {finishedAt, total, succeeded, failed} with id
 * {@code finished}. Only the latest progress exists: a reconnecting client learns the counts now,
 * not every step in between.
 */
public final class BatchEvents {

    public static final String FINISHED = "finished";

    private BatchEvents() {}

    /** The events a stream whose last sent (or Last-Event-ID) is {@code lastSeen} (null: none) still needs. */
    public static List<StreamEvent> after(BatchProgress batch, String lastSeen) {
        List<StreamEvent> events = new ArrayList<>(2);
        if (FINISHED.equals(lastSeen)) {
            return events;
        }
        String progressId =
                "progress:" + batch.counts().succeeded() + ":" + batch.counts().failed();
        if (!progressId.equals(lastSeen)) {
            events.add(new StreamEvent(
                    progressId,
                    "progress",
                    counts(batch)
                            .add(
                                    "running",
                                    Math.max(
                                            0,
                                            batch.counts().total()
                                                    - batch.counts().succeeded()
                                                    - batch.counts().failed()))
                            .build()));
        }
        if (batch.finishedAt() != null) {
            events.add(new StreamEvent(
                    FINISHED,
                    FINISHED,
                    counts(batch)
                            .add("finishedAt", batch.finishedAt().toString())
                            .build()));
        }
        return events;
    }

    /** Whether {@code text} can be a batch stream's event id (for Last-Event-ID). */
    public static boolean isId(String text) {
        return FINISHED.equals(text) || text.matches("progress:[0-9]{1,18}:[0-9]{1,18}");
    }

    private static JsonObjectBuilder counts(BatchProgress batch) {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("total", batch.counts().total())
                .add("succeeded", batch.counts().succeeded())
                .add("failed", batch.counts().failed());
    }
}
