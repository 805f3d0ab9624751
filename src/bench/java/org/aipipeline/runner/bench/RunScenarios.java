package org.aipipeline.runner.bench;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;
import java.util.function.Predicate;

/**
 * The run path under load: warm-up, background and awaited pipelines, a big batch. Completed/s
 * counts from the first request until the last accepted run finished, as the runner recorded it.
 */
final class RunScenarios {

    private static final Duration DRAIN = Duration.ofSeconds(180);
    private static final int AWAITED_TIMEOUT_SECONDS = 30;
    private static final int BATCH_SIZE = 10_000;
    private static final Predicate<HttpResponse<String>> ACCEPTED = r -> r.statusCode() == 202;
    private static final Predicate<HttpResponse<String>> SUCCEEDED =
            r -> r.statusCode() == 200 && r.body().contains("\"Succeeded\"");

    private final Bench b;

    RunScenarios(Bench bench) {
        this.b = bench;
    }

    /**
     * Mixed background and awaited load until the JIT has compiled the run path (on 2 cores a
     * server's compile backlog lasts minutes after a new load); reported as the cold figures.
     */
    void warmUp() throws Exception {
        if (b.settings().warmUp().isZero()) {
            b.report().note("no warm-up (BENCH_WARMUP_SECONDS=0): every figure is of a cold runner");
            return;
        }
        int awaitedInFlight = 16;
        Duration duration = b.settings().warmUp();
        List<HttpRequest> awaitedRequests = b.api().awaited(b.nodeIds(), AWAITED_TIMEOUT_SECONDS);
        List<HttpRequest> backgroundRequests = b.api().pipelines(b.nodeIds(), 1);
        Bench.Phase phase = b.begin();
        Instant since = Instant.now();
        FutureTask<HttpLoad.Outcome> awaited =
                new FutureTask<>(() -> b.http().run(awaitedRequests, awaitedInFlight, duration, true, SUCCEEDED));
        new Thread(awaited, "bench-warm-up-awaited").start();
        HttpLoad.Outcome posts = b.http()
                .run(
                        backgroundRequests,
                        Math.max(1, b.settings().inFlight() - awaitedInFlight),
                        duration,
                        false,
                        ACCEPTED);
        HttpLoad.Outcome waited = awaited.get();
        RunnerTables.Finished finished = b.tables().awaitRuns(b.api().userId(), since, DRAIN);
        CpuMeter.Usage usage = b.since(phase);
        double rate = completedPerSecond(finished, since);
        String title = "W. warm-up " + duration.toSeconds() + " s, cold runner: ";
        b.report()
                .add(new Report.Row(
                        title + "background + awaited one-step runs completed/s (latency = POST)",
                        Report.rate(rate),
                        posts.latencies(),
                        posts.latencies().errors() + unfinished(finished, posts, waited),
                        usage,
                        phase.jitQueue(),
                        b.runner().rssMiB(),
                        Report.ratio(rate, b.floors().amqp16().perSecond()),
                        "",
                        null));
        b.report()
                .add(new Report.Row(
                        title + "awaited one-step c=" + awaitedInFlight + " beside it",
                        Report.rate(waited.perSecond()),
                        waited.latencies(),
                        waited.latencies().errors(),
                        null,
                        "",
                        b.runner().rssMiB(),
                        "",
                        "",
                        null));
        b.report()
                .note("runner JIT queue after the warm-up: " + b.runner().compileQueue() + " methods (before it: "
                        + phase.jitQueue() + ")" + failed(posts.latencies()) + failed(waited.latencies()));
    }

    /** Open-ended POSTs for the scenario's duration, then until every accepted run finished. */
    void background(String name, int steps) throws Exception {
        int target = b.settings().inFlight();
        List<HttpRequest> requests = b.api().pipelines(b.nodeIds(), steps);
        Bench.Phase phase = b.begin();
        Instant since = Instant.now();
        HttpLoad.Outcome posts = b.http().run(requests, target, b.settings().scenario(), false, ACCEPTED);
        RunnerTables.Finished finished = b.tables().awaitRuns(b.api().userId(), since, DRAIN);
        CpuMeter.Usage usage = b.since(phase);
        double rate = completedPerSecond(finished, since);
        double floor = b.floors().amqp16().perSecond();
        boolean oneStep = steps == 1;
        String ratio = oneStep
                ? Report.ratio(rate, floor)
                : Report.ratio(rate, floor) + " (steps/s " + Report.ratio(rate * steps, floor) + ")";
        b.report()
                .add(new Report.Row(
                        name + " completed/s (latency = POST)",
                        Report.rate(rate),
                        posts.latencies(),
                        posts.latencies().errors() + unfinished(finished, posts, null),
                        usage,
                        phase.jitQueue(),
                        b.runner().rssMiB(),
                        ratio,
                        oneStep ? "≥ 2,000/s and ≥ 50% of AMQP floor" : "≥ 500/s",
                        oneStep ? rate >= 2_000 && rate >= 0.5 * floor : rate >= 500));
        double inFlight = posts.meanInFlight();
        b.report()
                .note(String.format(
                        "%s: POSTs accepted at %.0f/s; %d producers kept %.0f of %d requests in flight on "
                                + "average (%s); driver %.2f cores; runner CPU %.2f ms per completed run%s",
                        name,
                        posts.perSecond(),
                        Math.min(target, b.http().producers()),
                        inFlight,
                        target,
                        inFlight >= 0.9 * target
                                ? "the runner, not the driver, set the pace"
                                : "DRIVER-LIMITED: fewer than 90%",
                        usage.driverCores(),
                        usage.runnerCores() * 1000 / rate,
                        (finished.all() ? "" : "; NOT ALL FINISHED within " + DRAIN.toSeconds() + " s")
                                + failed(posts.latencies())));
    }

    void awaited() throws Exception {
        Floors floors = b.floors();
        double floorC1 = floors.amqp1().latencies().percentileMillis(50)
                + floors.pg1().latencies().percentileMillis(50);
        double floorC16 = floors.amqp16().latencies().percentileMillis(50)
                + floors.pg16().latencies().percentileMillis(50);
        List<HttpRequest> requests = b.api().awaited(b.nodeIds(), AWAITED_TIMEOUT_SECONDS);
        for (int concurrency : new int[] {1, 16, 64}) {
            Bench.Phase phase = b.begin();
            HttpLoad.Outcome outcome =
                    b.http().run(requests, concurrency, b.settings().phase(), true, SUCCEEDED);
            CpuMeter.Usage usage = b.since(phase);
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
            b.report()
                    .add(new Report.Row(
                            "2. awaited one-step, c=" + concurrency,
                            Report.rate(outcome.perSecond()),
                            l,
                            l.errors(),
                            usage,
                            phase.jitQueue(),
                            b.runner().rssMiB(),
                            Report.ratio(l.percentileMillis(50), concurrency == 1 ? floorC1 : floorC16)
                                    + " (p50 ÷ AMQP+PG p50 at c=" + Math.min(concurrency, 16) + ")",
                            goal,
                            met));
        }
    }

    void batch() throws Exception {
        HttpRequest request = b.api().batch(b.nodeIds().get(0), BATCH_SIZE);
        Bench.Phase phase = b.begin();
        Instant t0 = Instant.now();
        HttpResponse<String> response = b.api().send(request);
        double acceptedMs = Duration.between(t0, Instant.now()).toNanos() / 1e6;
        if (response.statusCode() != 202) {
            b.report()
                    .add(new Report.Row(
                            "3. batch of 10,000: refused with " + response.statusCode(),
                            "",
                            null,
                            1,
                            b.since(phase),
                            phase.jitQueue(),
                            b.runner().rssMiB(),
                            "",
                            "finished ≤ 10 s",
                            false));
            return;
        }
        UUID batchId = UUID.fromString(
                RunnerApi.json(response.body()).getJsonObject("batch").getString("pipelineBatchId"));
        Instant finishedAt = b.tables().awaitBatch(batchId, Duration.ofSeconds(300));
        CpuMeter.Usage usage = b.since(phase);
        double finishedMs = finishedAt == null
                ? Double.NaN
                : Duration.between(t0, finishedAt).toNanos() / 1e6;
        double rate = BATCH_SIZE / (finishedMs / 1000);
        b.report()
                .add(new Report.Row(
                        String.format(
                                "3. batch of 10,000: accepted in %.0f ms, finished in %s",
                                acceptedMs,
                                finishedAt == null ? "> 300 s (gave up)" : String.format("%.0f ms", finishedMs)),
                        Report.rate(rate),
                        null,
                        finishedAt == null ? 1 : 0,
                        usage,
                        phase.jitQueue(),
                        b.runner().rssMiB(),
                        Report.ratio(rate, b.floors().amqp16().perSecond()),
                        "finished ≤ 10 s",
                        finishedMs <= 10_000));
    }

    private static double completedPerSecond(RunnerTables.Finished finished, Instant since) {
        return finished.last() == null
                ? 0
                : finished.count() / (Duration.between(since, finished.last()).toNanos() / 1e9);
    }

    /** Why requests failed, as a note's tail; empty if none did. */
    private static String failed(Latencies latencies) {
        String reasons = latencies.reasons();
        return reasons.isEmpty() ? "" : "; failed requests: " + reasons;
    }

    /** Accepted runs that had not finished when the driver stopped waiting. */
    private static int unfinished(RunnerTables.Finished finished, HttpLoad.Outcome posts, HttpLoad.Outcome awaited) {
        long accepted = posts.latencies().count()
                + (awaited == null ? 0 : awaited.latencies().count());
        return finished.all() ? 0 : (int) Math.max(0, accepted - finished.count());
    }
}
