package org.aipipeline.runner.bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives a running runner over HTTP with no-op nodes on the real broker and prints one table of
 * figures, each beside the physical floor (raw RabbitMQ and PostgreSQL) measured in the same run,
 * the CPU it cost and its goal from issue 11. Never a test: it measures, it does not judge
 * anything but the goals it prints. Settings are system properties, see {@code bench/run.sh}.
 *
 * <p>The driver must not be the cap: throughput scenarios keep {@code bench.inflight} requests in
 * flight from several producers with requests built once, the nodes have their own connections,
 * and every row shows the driver's own CPU; the notes say how full it kept the pipe.
 */
public final class LoadDriver {

    private final BenchSettings settings;

    private LoadDriver(BenchSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        new LoadDriver(BenchSettings.fromSystemProperties()).run();
    }

    private void run() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(settings.amqpUrl());
        RunnerProcess runner = new RunnerProcess(settings.runnerPid());
        CpuMeter meter = new CpuMeter(settings.runnerPid());
        Report report = new Report();
        List<NoOpNode> nodes = new ArrayList<>();
        try (HttpLoad http = new HttpLoad(settings.producers());
                Connection connection = factory.newConnection("bench-driver");
                RunnerTables tables = new RunnerTables(settings.dbUrl(), settings.dbUser(), settings.dbPassword())) {
            startup(report, runner);
            Floors floors = new Floors(settings, report, meter);
            floors.measure(connection);
            RunnerApi api = new RunnerApi(settings.runnerUrl(), http.client());
            api.login();
            nodes.addAll(startNodes(factory, api));
            Bench bench = new Bench(
                    settings,
                    runner,
                    meter,
                    report,
                    http,
                    api,
                    tables,
                    floors,
                    nodes.stream().map(NoOpNode::id).toList());
            new DriverCeiling(bench).measure(2_000);
            RunScenarios runs = new RunScenarios(bench);
            ReadScenarios reads = new ReadScenarios(bench);
            runs.warmUp();
            if (settings.runs(1)) {
                runs.background("1. background one-step", 1);
            }
            if (settings.runs(2)) {
                runs.awaited();
            }
            if (settings.runs(3)) {
                runs.batch();
            }
            if (settings.runs(4)) {
                runs.background("4. background five-step", 5);
            }
            if (settings.runs(5)) {
                reads.adverts(factory);
            }
            if (settings.runs(6)) {
                reads.resultsPages();
            }
            if (settings.runs(7)) {
                new IdleStreams(bench).measure(factory);
            }
            report.note("publishes the broker refused (nacked) to the no-op nodes: "
                    + nodes.stream().mapToLong(NoOpNode::refused).sum()
                    + "; runner heap after a full GC at the end: " + runner.heapAfterGcMiB() + " MiB");
            write(report, connection, tables);
        } finally {
            for (NoOpNode node : nodes) {
                node.close();
            }
        }
    }

    private void startup(Report report, RunnerProcess runner) {
        if (settings.startupMillis() < 0) {
            return;
        }
        double seconds = settings.startupMillis() / 1000.0;
        report.add(new Report.Row(
                "0. start-up to ready (process start → /health/ready)",
                String.format("%.1f s", seconds),
                null,
                0,
                null,
                "",
                runner.rssMiB(),
                "",
                "≤ 15 s",
                seconds <= 15));
    }

    /**
     * Re-advertises every node each 30 s, as a live node does: without it the runner takes the
     * nodes as unavailable after nodes.availability.timeout (3 min) and refuses runs on them (422),
     * which ends any benchmark longer than that.
     */
    private static void keepAdvertising(List<NoOpNode> nodes) {
        ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(HttpLoad.daemon("bench-node-adverts"));
        timer.scheduleWithFixedDelay(
                () -> nodes.forEach(node -> {
                    try {
                        node.advertise();
                    } catch (Exception e) {
                        System.err.println("re-advertising " + node.id() + " failed: " + e);
                    }
                }),
                30,
                30,
                TimeUnit.SECONDS);
    }

    private List<NoOpNode> startNodes(ConnectionFactory factory, RunnerApi api) throws Exception {
        List<NoOpNode> nodes = new ArrayList<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < settings.nodes(); i++) {
            NoOpNode node = new NoOpNode(factory, "bench-noop-" + run + "-" + i);
            node.advertise();
            nodes.add(node);
        }
        keepAdvertising(nodes);
        // Known to the runner once a one-step pipeline on each node is accepted.
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (HttpRequest probe : api.pipelines(nodes.stream().map(NoOpNode::id).toList(), 1)) {
            while (api.send(probe).statusCode() != 202) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the runner never saw the bench nodes");
                }
                Thread.sleep(200);
            }
        }
        return nodes;
    }

    private void write(Report report, Connection connection, RunnerTables tables) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        String machine = String.format(
                "Machine: %d cores, %.1f GiB RAM; JDK %s; PostgreSQL %s; RabbitMQ %s; %d no-op nodes; "
                        + "%d s per scenario, %d s warm-up; %d producers, %d requests in flight for throughput scenarios%s.",
                Runtime.getRuntime().availableProcessors(),
                os.getTotalMemorySize() / (1024.0 * 1024 * 1024),
                System.getProperty("java.version"),
                tables.serverVersion(),
                connection.getServerProperties().get("version"),
                settings.nodes(),
                settings.scenario().toSeconds(),
                settings.warmUp().toSeconds(),
                settings.producers(),
                settings.inFlight(),
                settings.only().isEmpty() ? "" : "; only scenarios " + settings.only());
        String text = report.render("Benchmark " + LocalDate.now(), machine);
        System.out.println();
        System.out.println(text);
        if (settings.out() != null) {
            Report.append(settings.out(), text);
        }
    }
}
