package org.aipipeline.runner.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Closed-loop HTTP load from several producer threads, each with its own client, so that no one
 * selector thread or connection pool is the cap. A producer keeps its share of the requests in
 * flight (HTTP/1.1 opens one connection per request in flight, so that share is also its
 * connection count) and sends requests built before the measurement: the driver's work per
 * request is a send and a status check.
 *
 * <p>HTTP/1.1 like curl and browsers: the JDK client's cleartext HTTP/2 upgrade against Payara
 * funnels every request through one connection and misbehaves on large bodies.
 */
final class HttpLoad implements AutoCloseable {

    /** What one load produced: latencies of the accepted requests, and the wall time it took. */
    record Outcome(Latencies latencies, double seconds) {

        double perSecond() {
            return latencies.count() / seconds;
        }

        /** Little's law: how many requests were in flight on average, to check the pipe was kept full. */
        double meanInFlight() {
            return latencies.totalSeconds() / seconds;
        }
    }

    private final List<HttpClient> clients = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    HttpLoad(int producers) {
        for (int i = 0; i < producers; i++) {
            // Two threads per client complete the responses; the client's own selector thread reads them.
            ExecutorService executor = Executors.newFixedThreadPool(2, daemon("bench-http-" + i));
            executors.add(executor);
            clients.add(HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .executor(executor)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build());
        }
    }

    int producers() {
        return clients.size();
    }

    /** Any one client, for single requests outside a load. */
    HttpClient client() {
        return clients.get(0);
    }

    /**
     * Keeps {@code concurrency} requests in flight for {@code duration}, taking them round-robin
     * from {@code requests}, then waits for the last answers. {@code accepted} judges a response.
     */
    Outcome run(
            List<HttpRequest> requests,
            int concurrency,
            Duration duration,
            boolean readBody,
            Predicate<HttpResponse<String>> accepted)
            throws InterruptedException {
        int producers = Math.min(concurrency, clients.size());
        Latencies latencies = new Latencies();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            HttpClient client = clients.get(p);
            int share = concurrency / producers + (p < concurrency % producers ? 1 : 0);
            int first = p;
            Thread thread = new Thread(
                    () -> produce(client, share, requests, first, end, readBody, accepted, latencies),
                    "bench-producer-" + p);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new Outcome(latencies, (System.nanoTime() - start) / 1e9);
    }

    private static void produce(
            HttpClient client,
            int inFlight,
            List<HttpRequest> requests,
            int first,
            long end,
            boolean readBody,
            Predicate<HttpResponse<String>> accepted,
            Latencies latencies) {
        Semaphore permits = new Semaphore(inFlight);
        HttpResponse.BodyHandler<String> handler =
                readBody ? HttpResponse.BodyHandlers.ofString() : HttpResponse.BodyHandlers.replacing("");
        int next = first;
        try {
            while (System.nanoTime() < end) {
                if (!permits.tryAcquire(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
                HttpRequest request = requests.get(next++ % requests.size());
                long t0 = System.nanoTime();
                client.sendAsync(request, handler).whenComplete((response, failure) -> {
                    if (failure == null && accepted.test(response)) {
                        latencies.record(System.nanoTime() - t0);
                    } else {
                        latencies.error(failure == null ? "HTTP " + response.statusCode() : rootCause(failure));
                    }
                    permits.release();
                });
            }
            permits.acquire(inFlight);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String rootCause(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName();
    }

    /** Daemon threads of one name, so the driver's helpers never keep it alive. */
    static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public void close() {
        executors.forEach(ExecutorService::shutdownNow);
    }
}
