package org.aipipeline.runner.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client for the tests, reading the stream line by line as it arrives (HTTP/1.1,
 * as a browser's EventSource does). {@link #next} blocks until a whole event came or the server closed
 * the stream; so that a broken runner fails the test instead of hanging it, a wait is cut at 60 s.
 */
public final class EventStream implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private static final Duration LONGEST_WAIT = Duration.ofSeconds(60);

    /** One event as sent: its id, name and data (JSON). */
    public record Event(String id, String name, String data) {

        public JsonObject json() {
            return Json.createReader(new StringReader(data)).readObject();
        }
    }

    private final HttpResponse<Stream<String>> response;
    private final Iterator<String> lines;
    private final ExecutorService reader = Executors.newSingleThreadExecutor();

    private EventStream(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.lines = response.body().iterator();
    }

    /** Opens {@code uri}; {@code authorization} and {@code lastEventId} may be null. */
    public static EventStream open(URI uri, String authorization, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .timeout(LONGEST_WAIT)
                .GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The whole body of a stream that is not one (an error answer). */
    public String body() {
        List<String> all = new ArrayList<>();
        lines.forEachRemaining(all::add);
        return String.join("\n", all);
    }

    /** The next event, or null once the server closed the stream. Comments (keep-alives) are skipped. */
    public Event next() {
        try {
            return reader.submit(this::read).get(LONGEST_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no event and no end of stream within " + LONGEST_WAIT.toSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every event until the server closes the stream. */
    public List<Event> untilClosed() {
        List<Event> events = new ArrayList<>();
        for (Event event = next(); event != null; event = next()) {
            events.add(event);
        }
        return events;
    }

    /** The events up to and including the one with id {@code id}. */
    public List<Event> until(String id) {
        List<Event> events = new ArrayList<>();
        for (Event event = next(); event != null; event = next()) {
            events.add(event);
            if (id.equals(event.id())) {
                return events;
            }
        }
        throw new AssertionError("the stream closed before event " + id + "; got " + events);
    }

    private Event read() {
        String id = null;
        String name = null;
        StringBuilder data = null;
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (data != null || name != null) {
                    return new Event(id, name, data == null ? "" : data.toString());
                }
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1).replaceFirst("^ ", "");
            switch (field) {
                case "id" -> id = value;
                case "event" -> name = value;
                case "data" ->
                    data = data == null
                            ? new StringBuilder(value)
                            : data.append('\n').append(value);
                default -> {}
            }
        }
        return null;
    }

    @Override
    public void close() {
        reader.shutdownNow();
        response.body().close();
    }
}
