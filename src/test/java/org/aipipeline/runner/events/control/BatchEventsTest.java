package org.aipipeline.runner.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.results.control.BatchCounts;
import org.aipipeline.runner.results.control.WatchedRuns.BatchProgress;
import org.junit.jupiter.api.Test;

class BatchEventsTest {

    private static final UUID USER = UUID.randomUUID();

    private static BatchProgress batch(long succeeded, long failed, Instant finishedAt) {
        return new BatchProgress(USER, new BatchCounts(5, succeeded, failed), finishedAt);
    }

    @Test
    void aRunningBatchHasItsCurrentProgress() {
        List<StreamEvent> events = BatchEvents.after(batch(2, 1, null), null);
        assertEquals(1, events.size());
        assertEquals("progress:2:1", events.get(0).id());
        assertEquals("progress", events.get(0).name());
        assertEquals(
                "{\"total\":5,\"succeeded\":2,\"failed\":1,\"running\":2}",
                events.get(0).data().toString());
    }

    @Test
    void theSameCountsAreNotSentTwice() {
        assertEquals(List.of(), BatchEvents.after(batch(2, 1, null), "progress:2:1"));
        assertEquals(
                "progress:3:1",
                BatchEvents.after(batch(3, 1, null), "progress:2:1").get(0).id());
    }

    @Test
    void aFinishedBatchEndsWithFinished() {
        List<StreamEvent> events =
                BatchEvents.after(batch(4, 1, Instant.parse("2026-11-30T12:00:00Z")), "progress:2:1");
        assertEquals(
                List.of("progress:4:1", "finished"),
                events.stream().map(StreamEvent::id).toList());
        assertEquals(
                "{\"total\":5,\"succeeded\":4,\"failed\":1,\"finishedAt\":\"2026-11-30T12:00:00Z\"}",
                events.get(1).data().toString());
        assertEquals(
                List.of("finished"),
                BatchEvents.after(batch(4, 1, Instant.now()), "progress:4:1").stream()
                        .map(StreamEvent::id)
                        .toList());
        assertEquals(List.of(), BatchEvents.after(batch(4, 1, Instant.now()), "finished"));
    }

    @Test
    void onlyProgressAndFinishedAreBatchIds() {
        assertTrue(BatchEvents.isId("progress:0:0"));
        assertTrue(BatchEvents.isId("finished"));
        assertFalse(BatchEvents.isId("1:dispatched"));
        assertFalse(BatchEvents.isId("progress:1"));
        assertFalse(BatchEvents.isId("progress:-1:0"));
    }
}
