package org.aipipeline.runner.bench;

import com.rabbitmq.client.ConnectionFactory;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Scenario 7: what idle live-event streams cost the runner. Starts {@code STREAMS} one-step runs on
 * a node that never answers (they stay Running), opens one {@code GET /PipelineResults/{id}/Events}
 * per run, and compares the runner's threads, heap after a full GC and RSS before and after, plus
 * the CPU the runner spends while they sit idle (its watcher asks the database for all of them
 * every round). Streams must not hold threads: the thread count should not move with them.
 */
final class IdleStreams {

    private static final int STREAMS = 1_000;

    private final Bench bench;

    IdleStreams(Bench bench) {
        this.bench = bench;
    }

    void measure(ConnectionFactory factory) throws Exception {
        String nodeId = "bench-silent-" + UUID.randomUUID().toString().substring(0, 8);
        try (NoOpNode silent = new NoOpNode(factory, nodeId, Duration.ZERO, false)) {
            silent.advertise();
            HttpRequest start = bench.api().pipelines(List.of(nodeId), 1).get(0);
            List<String> runs = new ArrayList<>(STREAMS);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (runs.size() < STREAMS) {
                HttpResponse<String> reply = bench.api().send(start);
                if (reply.statusCode() == 202) {
                    runs.add(RunnerApi.json(reply.body())
                            .getJsonObject("pipeline")
                            .getString("id"));
                } else if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the runner refused runs on the silent node: " + reply.body());
                } else {
                    Thread.sleep(200); // the advert is not consumed yet
                }
            }
            settle();
            int threadsBefore = threads();
            String heapBefore = bench.runner().heapAfterGcMiB();
            String rssBefore = bench.runner().rssMiB();

            HttpClient client = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(30))
                    .build();
            List<CompletableFuture<HttpResponse<Stream<String>>>> opening = new ArrayList<>(STREAMS);
            long openStart = System.nanoTime();
            for (String id : runs) {
                opening.add(client.sendAsync(bench.api().events(id), HttpResponse.BodyHandlers.ofLines()));
            }
            List<HttpResponse<Stream<String>>> open = new ArrayList<>(STREAMS);
            int refused = 0;
            for (CompletableFuture<HttpResponse<Stream<String>>> future : opening) {
                HttpResponse<Stream<String>> response = future.get(120, TimeUnit.SECONDS);
                if (response.statusCode() == 200) {
                    open.add(response);
                } else {
                    refused++;
                    response.body().close();
                }
            }
            double openSeconds = (System.nanoTime() - openStart) / 1e9;
            settle();
            int threadsOpen = threads();
            String heapOpen = bench.runner().heapAfterGcMiB();
            String rssOpen = bench.runner().rssMiB();
            CpuMeter.Reading idleStart = bench.meter().read();
            Thread.sleep(Duration.ofSeconds(20).toMillis());
            CpuMeter.Usage idle = bench.meter().since(idleStart);
            int threadsIdle = threads();
            String groups = threadGroups();

            for (HttpResponse<Stream<String>> response : open) {
                response.body().close();
            }
            bench.report()
                    .note(String.format(
                            "7. %d idle event streams (one per Running run, opened in %.1f s, %d refused): "
                                    + "runner threads %d before → %d open → %d after 20 s idle; heap after full GC %s → %s MiB; "
                                    + "RSS %s → %s MiB; runner CPU while idle %.3f cores (watcher every events.watch-interval)",
                            open.size(),
                            openSeconds,
                            refused,
                            threadsBefore,
                            threadsOpen,
                            threadsIdle,
                            heapBefore,
                            heapOpen,
                            rssBefore,
                            rssOpen,
                            idle.runnerCores()));
            bench.report().note("7. runner threads by name with the streams open (largest groups): " + groups);
        }
    }

    /** Lets thread pools and the JIT quiet down before a reading. */
    private static void settle() throws InterruptedException {
        Thread.sleep(5_000);
    }

    /** The runner's threads grouped by name without digits, largest first (jcmd Thread.print, read between measurements). */
    private String threadGroups() throws IOException, InterruptedException {
        long pid = bench.settings().runnerPid();
        if (pid <= 0) {
            return "n/a";
        }
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
                .redirectErrorStream(true)
                .start();
        String out = new String(jcmd.getInputStream().readAllBytes());
        jcmd.waitFor(30, TimeUnit.SECONDS);
        java.util.Map<String, Integer> counts = new java.util.TreeMap<>();
        int inRequest = 0;
        // Thread dumps separate threads by blank lines; the first line of each names it.
        for (String block : out.split("\n\n")) {
            String line = block.strip();
            if (line.startsWith("\"")) {
                String name = line.substring(1, line.indexOf('"', 1)).replaceAll("[0-9]+", "N");
                counts.merge(name, 1, Integer::sum);
                if (name.startsWith("http-thread-pool") && block.contains("org.glassfish.jersey")) {
                    inRequest++;
                }
            }
        }

        return counts.entrySet().stream()
                        .sorted(java.util.Map.Entry.<String, Integer>comparingByValue()
                                .reversed())
                        .limit(9)
                        .map(entry -> entry.getKey() + " " + entry.getValue())
                        .collect(java.util.stream.Collectors.joining(", "))
                + "; of the http-thread-pool threads, " + inRequest + " inside Jersey (serving a request) at the dump";
    }

    /** The runner's live threads, from /proc (no jcmd: it would add its own attach thread). */
    private int threads() {
        long pid = bench.settings().runnerPid();
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("Threads:")) {
                    return Integer.parseInt(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
