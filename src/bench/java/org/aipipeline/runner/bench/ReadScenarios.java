package org.aipipeline.runner.bench;

import com.rabbitmq.client.ConnectionFactory;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** What the runner does besides running pipelines: absorbing unchanged adverts, serving result pages. */
final class ReadScenarios {

    private static final Predicate<HttpResponse<String>> OK = r -> r.statusCode() == 200;

    private final Bench b;

    ReadScenarios(Bench bench) {
        this.b = bench;
    }

    /** Unchanged re-adverts at 1,000/s: how many rows the runner writes for them. */
    void adverts(ConnectionFactory factory) throws Exception {
        try (NoOpNode node = new NoOpNode(factory, b.nodeIds().get(0) + "-adverts")) {
            node.advertise();
            Thread.sleep(2_000);
            long before = b.tables().nodeTableWrites();
            int seconds = (int) b.settings().phase().toSeconds();
            Bench.Phase phase = b.begin();
            long start = System.nanoTime();
            // Ten every 10 ms: 1,000/s without a spinning driver thread taking a core from the runner.
            for (int i = 0; i < seconds * 100; i++) {
                for (int k = 0; k < 10; k++) {
                    node.advertise();
                }
                LockSupport.parkNanos(start + (i + 1) * 10_000_000L - System.nanoTime());
            }
            CpuMeter.Usage usage = b.since(phase);
            Thread.sleep(3_000); // statistics are flushed about once a second
            double writesPerSecond = (b.tables().nodeTableWrites() - before) / (double) seconds;
            b.report()
                    .add(new Report.Row(
                            "5. unchanged adverts at 1,000/s: node-table row writes/s",
                            String.format("%.1f", writesPerSecond),
                            null,
                            0,
                            usage,
                            phase.jitQueue(),
                            b.runner().rssMiB(),
                            "",
                            "(spec: no rewrite)",
                            null));
        }
    }

    /** Both result pages, one request at a time, against a million seeded finished runs. */
    void resultsPages() throws Exception {
        BenchSettings s = b.settings();
        long t0 = System.nanoTime();
        UUID batchId = ResultsSeed.write(
                s.dbUrl(),
                s.dbUser(),
                s.dbPassword(),
                b.api().userId(),
                b.nodeIds().get(0));
        b.report()
                .note(String.format(
                        "seeded %,d finished runs in one batch (results, step results, batch counts) in %.0f s",
                        ResultsSeed.ROWS, (System.nanoTime() - t0) / 1e9));
        for (String path :
                List.of("PipelineResults?pageSize=20", "PipelineResults/Batch/" + batchId + "?pageSize=20")) {
            HttpRequest request = b.api().get(path);
            b.api().send(request); // the first read after the seed plans the query and fills caches; measure the rest
            Bench.Phase phase = b.begin();
            HttpLoad.Outcome outcome = b.http().run(List.of(request), 1, s.scenario(), true, OK);
            CpuMeter.Usage usage = b.since(phase);
            Latencies l = outcome.latencies();
            b.report()
                    .add(new Report.Row(
                            "6. GET " + path.replace(batchId.toString(), "{id}") + " at 1M rows, c=1",
                            Report.rate(outcome.perSecond()),
                            l,
                            l.errors(),
                            usage,
                            phase.jitQueue(),
                            b.runner().rssMiB(),
                            "",
                            "p95 ≤ 20 ms",
                            l.percentileMillis(95) <= 20));
        }
    }
}
