package org.aipipeline.runner.bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Drives a running runner over HTTP with no-op nodes on the real broker and prints one table of
 * figures, each beside the physical floor (raw RabbitMQ and PostgreSQL) measured in the same run,
 * the CPU it cost and its goal from issue 11. Never a test: it measures, it does not judge
 * anything but the goals it prints. Settings are system properties, see {@code bench/run.sh}.
 *
 * <p>The driver must not be the cap: throughput scenarios keep {@code bench.inflight} requests in
 * flight from several producers with requests built once, the nodes have their own connections,
 * and every row shows the driver's own CPU and how full it kept the pipe.
 */
public final class LoadDriver {

    private static final Duration DRAIN = Duration.ofSeconds(180);
    private static final Predicate<HttpResponse<String>> ACCEPTED = r -> r.statusCode() == 202;
    private static final Predicate<HttpResponse<String>> SUCCEEDED =
            r -> r.statusCode() == 200 && r.body().contains("\"Succeeded\"");

    /** The start of a measured phase: the JIT backlog just before it and the CPU counters. */
    private record Phase(String jitQueue, CpuMeter.Reading start) {
    }

    private final BenchSettings settings;
    private final RunnerProcess runner;
    private final CpuMeter meter;
    private final Report report = new Report();
    private final HttpLoad http;
    private final RunnerApi api;
    private final List<String> nodeIds = new ArrayList<>();
    private final Floors floors;
    private RunnerTables tables;

    private LoadDriver(BenchSettings settings) {
        this.settings = settings;
        this.runner = new RunnerProcess(settings.runnerPid());
        this.meter = new CpuMeter(settings.runnerPid());
        this.http = new HttpLoad(settings.producers());
        this.api = new RunnerApi(settings.runnerUrl(), http.client());
        this.floors = new Floors(settings, report, meter);
    }

    public static void main(String[] args) throws Exception {
        new LoadDriver(BenchSettings.fromSystemProperties()).run();
    }

    private void run() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(settings.amqpUrl());
        List<NoOpNode> nodes = new ArrayList<>();
        try (Connection connection = factory.newConnection("bench-driver");
             RunnerTables opened = new RunnerTables(settings.dbUrl(), settings.dbUser(), settings.dbPassword())) {
            tables = opened;
            startup();
            floors.measure(connection);
            api.login();
            nodes.addAll(startNodes(factory));
            warmUp();
            if (settings.runs(1)) {
                background("1. background one-step", 1);
            }
            if (settings.runs(2)) {
                awaited();
            }
            if (settings.runs(3)) {
                batch();
            }
            if (settings.runs(4)) {
                background("4. background five-step", 5);
            }
            if (settings.runs(5)) {
                adverts(factory);
            }
            if (settings.runs(6)) {
                resultsPages();
            }
            long refused = 0;
            for (NoOpNode node : nodes) {
                refused += node.refused();
                node.close();
            }
            report.note("publishes the broker refused (nacked) to the no-op nodes: " + refused
                    + "; runner heap after a full GC at the end: " + runner.heapAfterGcMiB() + " MiB");
            finish(connection);
        } finally {
            http.close();
        }
    }

    private void startup() {
        if (settings.startupMillis() < 0) {
            return;
        }
        double seconds = settings.startupMillis() / 1000.0;
        report.add(new Report.Row("0. start-up to ready (process start → /health/ready)", String.format("%.1f s", seconds),
                null, 0, null, "", runner.rssMiB(), "", "≤ 15 s", seconds <= 15));
    }

    private List<NoOpNode> startNodes(ConnectionFactory factory) throws Exception {
        List<NoOpNode> nodes = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < settings.nodes(); i++) {
            NoOpNode node = new NoOpNode(factory, "bench-noop-" + run + "-" + i);
            node.advertise();
            nodes.add(node);
            nodeIds.add(node.id());
        }
        // Known to the runner once a one-step pipeline on each node is accepted.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (HttpRequest probe : api.pipelines(nodeIds, 1)) {
            while (api.send(probe).statusCode() != 202) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the runner never saw the bench nodes");
                }
                Thread.sleep(200);
            }
        }
        return nodes;
    }

    /**
     * Mixed background and awaited load until the JIT has compiled the run path (on 2 cores a
     * server's compile backlog lasts minutes after a new load); reported as the cold figures.
     */
    private void warmUp() throws Exception {
        if (settings.warmUp().isZero()) {
            report.note("no warm-up (BENCH_WARMUP_SECONDS=0): every figure is of a cold runner");
            return;
        }
        int awaitedInFlight = 16;
        List<HttpRequest> awaitedRequests = api.awaited(nodeIds, 30);
        List<HttpRequest> backgroundRequests = api.pipelines(nodeIds, 1);
        Phase phase = begin();
        Instant since = Instant.now();
        FutureTask<HttpLoad.Outcome> awaited = new FutureTask<>(
                () -> http.run(awaitedRequests, awaitedInFlight, settings.warmUp(), true, SUCCEEDED));
        new Thread(awaited, "bench-warm-up-awaited").start();
        HttpLoad.Outcome posts = http.run(backgroundRequests, Math.max(1, settings.inFlight() - awaitedInFlight),
                settings.warmUp(), false, ACCEPTED);
        HttpLoad.Outcome waited = awaited.get();
        RunnerTables.Finished finished = tables.awaitRuns(api.userId(), since, DRAIN);
        CpuMeter.Usage usage = meter.since(phase.start());
        double rate = completedPerSecond(finished, since);
        String title = "W. warm-up " + settings.warmUp().toSeconds() + " s, cold runner: ";
        report.add(new Report.Row(title + "background + awaited one-step runs completed/s", Report.rate(rate),
                posts.latencies(), posts.latencies().errors() + unfinished(finished, posts, waited), usage,
                phase.jitQueue(), runner.rssMiB(), Report.ratio(rate, floors.amqp16().perSecond()), "", null));
        report.add(new Report.Row(title + "awaited one-step c=" + awaitedInFlight + " (beside the background load)",
                Report.rate(waited.perSecond()), waited.latencies(), waited.latencies().errors(), null, "",
                runner.rssMiB(), "", "", null));
        report.note("runner JIT queue after the warm-up: " + runner.compileQueue() + " methods (before it: "
                + phase.jitQueue() + ")");
    }

    /** Open-ended POSTs for the scenario's duration; completed/s counts until the last accepted run finished. */
    private void background(String name, int steps) throws Exception {
        List<HttpRequest> requests = api.pipelines(nodeIds, steps);
        Phase phase = begin();
        Instant since = Instant.now();
        HttpLoad.Outcome posts = http.run(requests, settings.inFlight(), settings.scenario(), false, ACCEPTED);
        RunnerTables.Finished finished = tables.awaitRuns(api.userId(), since, DRAIN);
        CpuMeter.Usage usage = meter.since(phase.start());
        double rate = completedPerSecond(finished, since);
        double floor = floors.amqp16().perSecond();
        boolean oneStep = steps == 1;
        String ratio = oneStep ? Report.ratio(rate, floor)
                : Report.ratio(rate, floor) + " (steps/s " + Report.ratio(rate * steps, floor) + ")";
        report.add(new Report.Row(name + " completed/s (latency = POST)", Report.rate(rate), posts.latencies(),
                posts.latencies().errors() + unfinished(finished, posts, null), usage, phase.jitQueue(), runner.rssMiB(),
                ratio, oneStep ? "≥ 2,000/s and ≥ 50% of AMQP floor" : "≥ 500/s",
                oneStep ? rate >= 2_000 && rate >= 0.5 * floor : rate >= 500));
        noteDriver(name, posts, settings.inFlight(), usage, rate, finished);
    }

    private void awaited() throws Exception {
        double floorC1 = floors.amqp1().latencies().percentileMillis(50) + floors.pg1().latencies().percentileMillis(50);
        double floorC16 = floors.amqp16().latencies().percentileMillis(50) + floors.pg16().latencies().percentileMillis(50);
        List<HttpRequest> requests = api.awaited(nodeIds, 30);
        for (int concurrency : new int[] {1, 16, 64}) {
            Phase phase = begin();
            HttpLoad.Outcome outcome = http.run(requests, concurrency, settings.phase(), true, SUCCEEDED);
            CpuMeter.Usage usage = meter.since(phase.start());
            Latencies l = outcome.latencies();
            String goal = "";
            Boolean met = null;
            if (concurrency == 1) {
                goal = String.format("p50 ≤ 3 × (AMQP + PG c=1 p50) = %.2f ms", 3 * floorC1);
                met = l.percentileMillis(50) <= 3 * floorC1;
            } else if (concurrency == 16) {
                goal = "p99 ≤ 25 ms";
                met = l.percentileMillis(99) <= 25;
            }
            double floor = concurrency == 1 ? floorC1 : floorC16;
            report.add(new Report.Row("2. awaited one-step, c=" + concurrency, Report.rate(outcome.perSecond()), l,
                    l.errors(), usage, phase.jitQueue(), runner.rssMiB(),
                    Report.ratio(l.percentileMillis(50), floor) + " (p50 ÷ AMQP+PG p50 at c=" + Math.min(concurrency, 16) + ")",
                    goal, met));
        }
    }

    private void batch() throws Exception {
        int size = 10_000;
        HttpRequest request = api.batch(nodeIds.get(0), size);
        Phase phase = begin();
        Instant t0 = Instant.now();
        HttpResponse<String> response = api.send(request);
        double acceptedMs = Duration.between(t0, Instant.now()).toNanos() / 1e6;
        if (response.statusCode() != 202) {
            report.add(new Report.Row("3. batch of 10,000: refused with " + response.statusCode(), "", null, 1,
                    meter.since(phase.start()), phase.jitQueue(), runner.rssMiB(), "", "finished ≤ 10 s", false));
            return;
        }
        UUID batchId = UUID.fromString(RunnerApi.json(response.body()).getJsonObject("batch").getString("pipelineBatchId"));
        Instant finishedAt = tables.awaitBatch(batchId, Duration.ofSeconds(300));
        CpuMeter.Usage usage = meter.since(phase.start());
        double finishedMs = finishedAt == null ? Double.NaN : Duration.between(t0, finishedAt).toNanos() / 1e6;
        double rate = size / (finishedMs / 1000);
        report.add(new Report.Row(String.format("3. batch of 10,000: accepted in %.0f ms, finished in %s", acceptedMs,
                finishedAt == null ? "> 300 s (gave up)" : String.format("%.0f ms", finishedMs)), Report.rate(rate), null,
                finishedAt == null ? 1 : 0, usage, phase.jitQueue(), runner.rssMiB(),
                Report.ratio(rate, floors.amqp16().perSecond()), "finished ≤ 10 s", finishedMs <= 10_000));
    }

    /** Unchanged re-adverts at 1,000/s: how many rows the runner writes for them. */
    private void adverts(ConnectionFactory factory) throws Exception {
        try (NoOpNode node = new NoOpNode(factory, nodeIds.get(0) + "-adverts")) {
            node.advertise();
            Thread.sleep(2_000);
            long before = tables.nodeTableWrites();
            int seconds = (int) settings.phase().toSeconds();
            Phase phase = begin();
            long start = System.nanoTime();
            // Ten every 10 ms: 1,000/s without a spinning driver thread taking a core from the runner.
            for (int i = 0; i < seconds * 100; i++) {
                for (int k = 0; k < 10; k++) {
                    node.advertise();
                }
                LockSupport.parkNanos(start + (i + 1) * 10_000_000L - System.nanoTime());
            }
            CpuMeter.Usage usage = meter.since(phase.start());
            Thread.sleep(3_000); // statistics are flushed about once a second
            double writesPerSecond = (tables.nodeTableWrites() - before) / (double) seconds;
            report.add(new Report.Row("5. unchanged adverts at 1,000/s: node-table row writes/s",
                    String.format("%.1f", writesPerSecond), null, 0, usage, phase.jitQueue(), runner.rssMiB(), "",
                    "(spec: no rewrite)", null));
        }
    }

    private void resultsPages() throws Exception {
        long t0 = System.nanoTime();
        UUID batchId = ResultsSeed.write(settings.dbUrl(), settings.dbUser(), settings.dbPassword(), api.userId(), nodeIds.get(0));
        report.note(String.format("seeded %,d finished runs in one batch (results, step results, batch counts) in %.0f s",
                ResultsSeed.ROWS, (System.nanoTime() - t0) / 1e9));
        Predicate<HttpResponse<String>> ok = r -> r.statusCode() == 200;
        for (String path : List.of("PipelineResults?pageSize=20", "PipelineResults/Batch/" + batchId + "?pageSize=20")) {
            HttpRequest request = api.get(path);
            api.send(request); // the first read of a new shape of data plans and caches; measure the rest
            Phase phase = begin();
            HttpLoad.Outcome outcome = http.run(List.of(request), 1, settings.scenario(), true, ok);
            CpuMeter.Usage usage = meter.since(phase.start());
            Latencies l = outcome.latencies();
            report.add(new Report.Row("6. GET " + path.replace(batchId.toString(), "{id}") + " at 1M rows, c=1",
                    Report.rate(outcome.perSecond()), l, l.errors(), usage, phase.jitQueue(), runner.rssMiB(), "",
                    "p95 ≤ 20 ms", l.percentileMillis(95) <= 20));
        }
    }

    private Phase begin() {
        String jit = runner.compileQueue(); // before the counters: jcmd's own CPU is not the scenario's
        return new Phase(jit, meter.read());
    }

    private static double completedPerSecond(RunnerTables.Finished finished, Instant since) {
        return finished.last() == null ? 0 : finished.count() / (Duration.between(since, finished.last()).toNanos() / 1e9);
    }

    /** Accepted runs that had not finished when the driver stopped waiting. */
    private static int unfinished(RunnerTables.Finished finished, HttpLoad.Outcome posts, HttpLoad.Outcome awaited) {
        long accepted = posts.latencies().count() + (awaited == null ? 0 : awaited.latencies().count());
        return finished.all() ? 0 : (int) Math.max(0, accepted - finished.count());
    }

    /** Whether the driver kept the pipe full, and what a run cost the runner. */
    private void noteDriver(String name, HttpLoad.Outcome posts, int target, CpuMeter.Usage usage, double rate,
                            RunnerTables.Finished finished) {
        double inFlight = posts.meanInFlight();
        report.note(String.format("%s: %d producers kept %.0f of %d requests in flight on average (%s); driver %.2f cores;"
                        + " runner CPU %.2f ms per completed run%s", name, Math.min(target, http.producers()), inFlight, target,
                inFlight >= 0.9 * target ? "the runner, not the driver, set the pace" : "DRIVER-LIMITED: fewer than 90%",
                usage.driverCores(), usage.runnerCores() * 1000 / rate, finished.all() ? "" : "; NOT ALL FINISHED"));
    }

    private void finish(Connection connection) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String machine = String.format("Machine: %d cores, %.1f GiB RAM; JDK %s; PostgreSQL %s; RabbitMQ %s; %d no-op nodes; "
                        + "%d s per scenario, %d s warm-up; %d producers, %d requests in flight for throughput scenarios%s.",
                Runtime.getRuntime().availableProcessors(), os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"), tables.serverVersion(), connection.getServerProperties().get("version"),
                settings.nodes(), settings.scenario().toSeconds(), settings.warmUp().toSeconds(), settings.producers(),
                settings.inFlight(), settings.only().isEmpty() ? "" : "; only scenarios " + settings.only());
        String text = report.render("Benchmark " + LocalDate.now(), machine);
        System.out.println();
        System.out.println(text);
        if (settings.out() != null) {
            Report.append(settings.out(), text);
        }
    }
}
