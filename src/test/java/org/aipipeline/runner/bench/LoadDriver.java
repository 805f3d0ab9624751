package org.aipipeline.runner.bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives a running runner over HTTP with no-op nodes on the real broker and prints one table of
 * figures, each scenario beside the physical floor (raw RabbitMQ and PostgreSQL) measured in the
 * same run. Never a test: it measures, it does not judge. Settings are system properties, see
 * {@code bench/run.sh}.
 */
public final class LoadDriver {

    private final String base = System.getProperty("bench.runner", "http://localhost:8080") + "/api/v1/";
    private final String amqpUrl = System.getProperty("bench.amqp", "amqp://guest:guest@127.0.0.1:5672");
    private final String dbUrl = System.getProperty("bench.db.url", "jdbc:postgresql://127.0.0.1:5432/runner_bench");
    private final String dbUser = System.getProperty("bench.db.user", "postgres");
    private final String dbPassword = System.getProperty("bench.db.password", "postgres");
    private final Duration duration = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    private final int nodeCount = Integer.getInteger("bench.nodes", 4);
    private final RunnerProcess runner = new RunnerProcess(Long.getLong("bench.runner.pid", 0));
    // HTTP/1.1 like curl and browsers: the JDK client's cleartext HTTP/2 upgrade against Payara
    // funnels every request through one connection and misbehaves on large bodies.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final List<String> rows = new ArrayList<>();
    private final List<String> nodeIds = new ArrayList<>();
    private String bearer;
    private UUID userId;
    private Floor.Rate amqpFloor;
    private Floor.Rate pgFloor;

    public static void main(String[] args) throws Exception {
        new LoadDriver().run();
    }

    private void run() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(amqpUrl);
        try (Connection connection = factory.newConnection("bench-driver")) {
            floor(connection);
            login();
            List<NoOpNode> nodes = startNodes(connection);
            background("1. background one-step", 1);
            awaited();
            batch();
            background("4. background five-step", 5);
            adverts(connection);
            resultsPages();
            for (NoOpNode node : nodes) {
                node.close();
            }
            report(connection);
        }
    }

    private void floor(Connection connection) throws Exception {
        Duration floorTime = Duration.ofSeconds(Math.max(5, duration.toSeconds() / 3));
        amqpFloor = Floor.amqpRoundTrips(connection, 16, floorTime);
        row("floor: AMQP persistent round trip (c=16)", amqpFloor.perSecond(), amqpFloor.latencies(), "1.00", "");
        Floor.Rate single = Floor.amqpRoundTrips(connection, 1, floorTime);
        row("floor: AMQP persistent round trip (c=1)", single.perSecond(), single.latencies(), "1.00", "");
        amqpFloor = new Floor.Rate(amqpFloor.perSecond(), single.latencies());
        pgFloor = Floor.postgresInsertUpdate(dbUrl, dbUser, dbPassword, 16, floorTime);
        row("floor: PostgreSQL insert+update txns (c=16)", pgFloor.perSecond(), pgFloor.latencies(), "1.00", "");
    }

    private void login() throws Exception {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String credentials = "{\"username\":\"" + name + "\",\"password\":\"bench-password-1\"}";
        post("Auth/Register", credentials, null);
        JsonObject user = json(post("Auth/Login", credentials, null).body()).getJsonObject("loggedInUser");
        bearer = "Bearer " + user.getJsonObject("accessRefreshTokenPair").getString("accessToken");
        userId = UUID.fromString(user.getString("id"));
    }

    private List<NoOpNode> startNodes(Connection connection) throws Exception {
        List<NoOpNode> nodes = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < nodeCount; i++) {
            String id = "bench-noop-" + run + "-" + i;
            NoOpNode node = new NoOpNode(connection, id);
            node.advertise();
            nodes.add(node);
            nodeIds.add(id);
        }
        // Known to the runner once a one-step pipeline on the last node is accepted.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (post("Pipelines", pipeline(1, 0), bearer).statusCode() != 202) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the runner never saw the bench nodes");
            }
            Thread.sleep(200);
        }
        return nodes;
    }

    private String pipeline(int steps, int offset) {
        JsonArrayBuilder list = Json.createArrayBuilder();
        for (int s = 0; s < steps; s++) {
            list.add(Json.createObjectBuilder().add("nodeId", nodeIds.get((offset + s) % nodeIds.size()))
                    .add("procedureId", NoOpNode.PROCEDURE));
        }
        return Json.createObjectBuilder()
                .add("input", Json.createObjectBuilder().add("type", "ApString").add("value", "hello"))
                .add("steps", list).build().toString();
    }

    /** Open-ended POSTs for the duration, then the time until every accepted pipeline finished. */
    private void background(String name, int steps) throws Exception {
        long before = finishedCount();
        Latencies accepted = new Latencies();
        AtomicInteger counter = new AtomicInteger();
        Semaphore inFlight = new Semaphore(32);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        while (System.nanoTime() < end) {
            inFlight.acquire();
            long t0 = System.nanoTime();
            postAsync("Pipelines", pipeline(steps, counter.getAndIncrement()), bearer).whenComplete((r, e) -> {
                if (e == null && r.statusCode() == 202) {
                    accepted.record(System.nanoTime() - t0);
                } else {
                    accepted.error();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(32);
        long expected = before + accepted.count();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long finished;
        while ((finished = finishedCount()) < expected && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = (finished - before) / seconds;
        row(name + " (completed/s; latency = POST)", rate, accepted,
                ratio(rate, amqpFloor.perSecond()), "≥ 2,000/s and ≥ 50% of floor");
    }

    private void awaited() throws Exception {
        for (int concurrency : new int[] {1, 16, 64}) {
            Latencies latencies = new Latencies();
            Semaphore inFlight = new Semaphore(concurrency);
            long end = System.nanoTime() + Math.max(5, duration.toSeconds() / 3) * 1_000_000_000L;
            long start = System.nanoTime();
            AtomicInteger counter = new AtomicInteger();
            while (System.nanoTime() < end) {
                inFlight.acquire();
                long t0 = System.nanoTime();
                String body = pipeline(1, counter.getAndIncrement()).replaceFirst("^\\{", "{\"timeoutSeconds\":30,");
                postAsync("Pipelines/Awaited", body, bearer).whenComplete((r, e) -> {
                    if (e == null && r.statusCode() == 200 && r.body().contains("\"Succeeded\"")) {
                        latencies.record(System.nanoTime() - t0);
                    } else {
                        latencies.error();
                    }
                    inFlight.release();
                });
            }
            inFlight.acquire(concurrency);
            double rate = latencies.count() / ((System.nanoTime() - start) / 1e9);
            row("2. awaited one-step, c=" + concurrency, rate, latencies,
                    ratio(latencies.percentileMillis(50), amqpFloor.latencies().percentileMillis(50)) + " (p50 vs floor p50)",
                    "p50 ≤ 3× floor; p99 ≤ 25 ms at c=16");
        }
    }

    private void batch() throws Exception {
        JsonArrayBuilder inputs = Json.createArrayBuilder();
        for (int i = 0; i < 10_000; i++) {
            inputs.add(Json.createObjectBuilder().add("type", "ApString").add("value", "item " + i));
        }
        String body = Json.createObjectBuilder().add("inputs", inputs)
                .add("steps", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("nodeId", nodeIds.get(0)).add("procedureId", NoOpNode.PROCEDURE)))
                .build().toString();
        long t0 = System.nanoTime();
        HttpResponse<String> response = post("Pipelines/Batch", body, bearer);
        double acceptedMs = (System.nanoTime() - t0) / 1e6;
        Latencies latencies = new Latencies();
        if (response.statusCode() != 202) {
            latencies.error();
            rows.add("| 3. batch of 10,000 | failed: " + response.statusCode() + " | | | | 1 | | | | ≤ 2 s / ≤ 10 s |");
            return;
        }
        String batchId = json(response.body()).getJsonObject("batch").getString("pipelineBatchId");
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        double finishedMs = Double.NaN;
        while (System.nanoTime() < deadline) {
            JsonObject batch = json(get("PipelineResults/Batch/" + batchId + "?pageSize=1").body()).getJsonObject("batch");
            if (!batch.isNull("finishedAt")) {
                finishedMs = (System.nanoTime() - t0) / 1e6;
                break;
            }
            Thread.sleep(100);
        }
        rows.add(String.format("| 3. batch of 10,000: accepted in %.0f ms, finished in %.0f ms | %.0f/s | | | | %d | %s | %s | | ≤ 2 s / ≤ 10 s |",
                acceptedMs, finishedMs, 10_000 / (finishedMs / 1000), latencies.errors(), runner.heapAfterGcMiB(), runner.rssMiB()));
    }

    /** Unchanged re-adverts at 1,000/s: how many rows the runner writes for them. */
    private void adverts(Connection connection) throws Exception {
        long before = nodeTableWrites();
        NoOpNode node = new NoOpNode(connection, nodeIds.get(0) + "-adverts");
        node.advertise();
        Thread.sleep(2_000);
        before = nodeTableWrites();
        int seconds = (int) Math.max(5, duration.toSeconds() / 3);
        long start = System.nanoTime();
        for (int i = 0; i < seconds * 1000; i++) {
            node.advertise();
            long due = start + (i + 1) * 1_000_000L;
            while (System.nanoTime() < due) {
                Thread.onSpinWait();
            }
        }
        Thread.sleep(3_000); // statistics are flushed about once a second
        double writesPerSecond = (nodeTableWrites() - before) / (double) seconds;
        node.close();
        rows.add(String.format("| 5. unchanged adverts at 1,000/s: row writes/s | %.1f | | | | | %s | %s | | 0 writes |",
                writesPerSecond, runner.heapAfterGcMiB(), runner.rssMiB()));
    }

    private void resultsPages() throws Exception {
        UUID batchId = UUID.randomUUID();
        try (var connection = DriverManager.getConnection(dbUrl, dbUser, dbPassword); Statement sql = connection.createStatement()) {
            sql.execute("insert into pipeline_batches (id, user_id, total_pipeline_count, created_at, finished_at) values ('"
                    + batchId + "', '" + userId + "', 1000000, now(), now())");
            sql.execute("insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, initial_input, step_count, "
                    + "created_at, updated_at, finished_at) select gen_random_uuid(), gen_random_uuid(), '" + userId + "', '"
                    + batchId + "', case when g % 10 = 0 then 'Failed' else 'Succeeded' end, "
                    + "'{\"type\":\"ApString\",\"value\":\"seed\"}', 1, now() - g * interval '1 millisecond', now(), now() "
                    + "from generate_series(1, 1000000) g");
            sql.execute("analyze pipeline_results");
        }
        for (String path : List.of("PipelineResults?pageSize=20", "PipelineResults/Batch/" + batchId + "?pageSize=20")) {
            Latencies latencies = new Latencies();
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> response = get(path);
                if (response.statusCode() == 200) {
                    latencies.record(System.nanoTime() - t0);
                } else {
                    latencies.error();
                }
            }
            row("6. GET " + path.replace(batchId.toString(), "{id}") + " at 1M rows", Double.NaN, latencies, "", "p95 ≤ 20 ms");
        }
    }

    private long finishedCount() throws Exception {
        try (var connection = DriverManager.getConnection(dbUrl, dbUser, dbPassword); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("select count(*) from pipeline_results where user_id = '" + userId
                     + "' and status <> 'Running' and batch_id is null")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private long nodeTableWrites() throws Exception {
        try (var connection = DriverManager.getConnection(dbUrl, dbUser, dbPassword); Statement sql = connection.createStatement();
             ResultSet rs = sql.executeQuery("select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables "
                     + "where relname in ('nodes', 'node_procedures')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void row(String name, double rate, Latencies latencies, String ratio, String target) {
        rows.add(String.format("| %s | %s | %.2f | %.2f | %.2f | %d | %s | %s | %s | %s |", name,
                Double.isNaN(rate) ? "" : String.format("%.0f/s", rate),
                latencies.percentileMillis(50), latencies.percentileMillis(95), latencies.percentileMillis(99),
                latencies.errors(), runner.heapAfterGcMiB(), runner.rssMiB(), ratio, target));
        System.out.println(rows.get(rows.size() - 1));
    }

    private static String ratio(double value, double floor) {
        return Double.isNaN(value) || floor <= 0 ? "" : String.format("%.2f", value / floor);
    }

    private void report(Connection connection) throws Exception {
        String pgVersion;
        try (var c = DriverManager.getConnection(dbUrl, dbUser, dbPassword); Statement sql = c.createStatement();
             ResultSet rs = sql.executeQuery("show server_version")) {
            rs.next();
            pgVersion = rs.getString(1);
        }
        StringBuilder out = new StringBuilder();
        out.append("# Benchmark ").append(LocalDate.now()).append("\n\n");
        out.append(String.format("Machine: %d cores, %.1f GiB RAM; JDK %s; PostgreSQL %s; RabbitMQ %s; %d no-op nodes; %d s per scenario.%n%n",
                Runtime.getRuntime().availableProcessors(), physicalMemoryGiB(), System.getProperty("java.version"),
                pgVersion, connection.getServerProperties().get("version"), nodeCount, duration.toSeconds()));
        out.append("| scenario | throughput | p50 ms | p95 ms | p99 ms | errors | runner heap after GC MiB | runner RSS MiB | ratio to floor | target |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        rows.forEach(r -> out.append(r).append('\n'));
        System.out.println();
        System.out.println(out);
        String file = System.getProperty("bench.out");
        if (file != null) {
            Path path = Path.of(file);
            Files.createDirectories(path.toAbsolutePath().getParent());
            String existing = Files.exists(path) ? Files.readString(path) + "\n" : "";
            Files.writeString(path, existing + out);
        }
    }

    private static double physicalMemoryGiB() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return Double.NaN;
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String json, String authorization) throws IOException, InterruptedException {
        return http.send(request(path, json, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<HttpResponse<String>> postAsync(String path, String json, String authorization) {
        return http.sendAsync(request(path, json, authorization), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path, String json, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder.build();
    }

    private static JsonObject json(String body) {
        return Json.createReader(new StringReader(body)).readObject();
    }
}
