package org.aipipeline.runner.events.control;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client's open event stream and the id of the last event it has (sent, or named by its
 * Last-Event-ID). Sends are serialized per stream (the request thread's first sends and the
 * watcher's may overlap); a send that fails means the client left, and closes the stream.
 */
final class OpenStream {

    private final SseEventSink sink;
    private final Sse sse;
    private final UUID userId;
    private String lastId;
    private boolean closed;
    /** A write handed to the writers and not finished yet: the watcher gives this stream nothing more meanwhile. */
    private final AtomicBoolean writing = new AtomicBoolean();

    OpenStream(SseEventSink sink, Sse sse, String lastId, UUID userId) {
        this.sink = sink;
        this.sse = sse;
        this.lastId = lastId;
        this.userId = userId;
    }

    boolean isOwnedBy(UUID user) {
        return userId.equals(user);
    }

    /**
     * Runs {@code write} on {@code writers} unless a write of this stream is still going on; false
     * when skipped (the watcher tries again next round: what a stream misses is derived from its
     * last id, so nothing is lost). A client that stops reading blocks only its own write.
     */
    boolean offer(Executor writers, Runnable write) {
        if (!writing.compareAndSet(false, true)) {
            return false;
        }
        try {
            writers.execute(() -> {
                try {
                    write.run();
                } finally {
                    writing.set(false);
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            writing.set(false);
            return false;
        }
    }

    synchronized String lastId() {
        return lastId;
    }

    /** Sends the events in order; false (and the stream closed) when the client is gone. */
    synchronized boolean send(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            if (!write(sse.newEventBuilder()
                    .id(event.id())
                    .name(event.name())
                    .mediaType(MediaType.APPLICATION_JSON_TYPE)
                    .data(String.class, event.data().toString())
                    .build())) {
                return false;
            }
            lastId = event.id();
        }
        return true;
    }

    /** A comment line ({@code : text}), which clients ignore: keeps proxies from closing an idle stream. */
    synchronized boolean comment(String text) {
        return write(sse.newEventBuilder().comment(text).build());
    }

    synchronized boolean isOpen() {
        return !closed && !sink.isClosed();
    }

    synchronized void close() {
        if (!closed) {
            closed = true;
            sink.close();
        }
    }

    private boolean write(OutboundSseEvent event) {
        if (!isOpen()) {
            return false;
        }
        try {
            if (sink.send(event).toCompletableFuture().isCompletedExceptionally()) {
                close();
                return false;
            }
            return true;
        } catch (RuntimeException e) {
            close(); // the connection is gone (or the sink closed under us): nothing left to send to
            return false;
        }
    }
}
