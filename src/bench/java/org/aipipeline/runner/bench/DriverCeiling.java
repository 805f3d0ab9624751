package org.aipipeline.runner.bench;

import com.sun.net.httpserver.HttpServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the driver's HTTP side can deliver, measured before the runner is loaded: the same
 * producers, in-flight count and request bodies against an in-process stub that answers 202 at
 * once. The stub's own threads are subtracted from the driver's CPU, so the row says what one
 * request costs the driver and how many cores a goal rate would take from the runner's machine.
 */
final class DriverCeiling {

    private static final String STUB_THREAD = "bench-stub";

    private final Bench b;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    DriverCeiling(Bench bench) {
        this.b = bench;
    }

    void measure(int goalPerSecond) throws Exception {
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        ExecutorService handlers = Executors.newFixedThreadPool(2, HttpLoad.daemon(STUB_THREAD));
        stub.setExecutor(handlers);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        stub.start();
        try {
            URI target = URI.create("http://127.0.0.1:" + stub.getAddress().getPort() + "/api/v1/Pipelines");
            List<HttpRequest> requests = new ArrayList<>();
            for (HttpRequest pipeline : b.api().pipelines(b.nodeIds(), 1)) {
                requests.add(HttpRequest.newBuilder(pipeline, (name, value) -> true)
                        .uri(target)
                        .build());
            }
            // Once unmeasured, so that the driver's own JIT is not what the row reports.
            b.http().run(requests, b.settings().inFlight(), Duration.ofSeconds(5), false, r -> r.statusCode() == 202);
            long stubBefore = stubCpuNanos();
            CpuMeter.Reading start = b.meter().read();
            HttpLoad.Outcome outcome = b.http()
                    .run(requests, b.settings().inFlight(), b.settings().phase(), false, r -> r.statusCode() == 202);
            CpuMeter.Usage usage = b.meter().since(start);
            double stubCores = (stubCpuNanos() - stubBefore) / 1e9 / outcome.seconds();
            double driverCores = usage.driverCores() - stubCores;
            double perRequestMicros = driverCores * 1e6 / outcome.perSecond();
            b.report()
                    .add(new Report.Row(
                            "D. driver ceiling: same POSTs to an in-process stub answering 202",
                            Report.rate(outcome.perSecond()),
                            outcome.latencies(),
                            outcome.latencies().errors(),
                            new CpuMeter.Usage(driverCores, usage.runnerCores(), usage.machineCores()),
                            "",
                            "",
                            "",
                            "",
                            null));
            b.report()
                    .note(String.format(
                            "driver ceiling: %.0f µs of driver CPU per POST (stub threads' %.2f cores "
                                    + "subtracted; %.0f of %d in flight): at %,d/s the driver's HTTP side would take %.2f cores",
                            perRequestMicros,
                            stubCores,
                            outcome.meanInFlight(),
                            b.settings().inFlight(),
                            goalPerSecond,
                            perRequestMicros * goalPerSecond / 1e6));
        } finally {
            stub.stop(0);
            handlers.shutdownNow();
        }
    }

    /** CPU of the stub's handler threads and its dispatcher (the JDK server names it HTTP-Dispatcher). */
    private long stubCpuNanos() {
        long total = 0;
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null
                    && (info.getThreadName().startsWith(STUB_THREAD)
                            || info.getThreadName().startsWith("HTTP-Dispatcher"))) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
