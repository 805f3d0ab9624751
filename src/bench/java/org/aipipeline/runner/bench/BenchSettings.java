package org.aipipeline.runner.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** The driver's settings: system properties that {@code bench/run.sh} sets from its environment. */
record BenchSettings(
        String runnerUrl,
        String amqpUrl,
        String dbUrl,
        String dbUser,
        String dbPassword,
        Duration scenario,
        Duration warmUp,
        int nodes,
        int producers,
        int inFlight,
        Set<Integer> only,
        long runnerPid,
        long startupMillis,
        String out) {

    static BenchSettings fromSystemProperties() {
        String only = System.getProperty("bench.only", "").trim();
        return new BenchSettings(
                System.getProperty("bench.runner", "http://localhost:8080"),
                System.getProperty("bench.amqp", "amqp://guest:guest@127.0.0.1:5672"),
                System.getProperty("bench.db.url", "jdbc:postgresql://127.0.0.1:5432/runner_bench"),
                System.getProperty("bench.db.user", "postgres"),
                System.getProperty("bench.db.password", "postgres"),
                Duration.ofSeconds(Long.getLong("bench.seconds", 30)),
                Duration.ofSeconds(Long.getLong("bench.warmup.seconds", 60)),
                Integer.getInteger("bench.nodes", 4),
                Integer.getInteger("bench.producers", 4),
                Integer.getInteger("bench.inflight", 256),
                only.isEmpty()
                        ? Set.of()
                        : Arrays.stream(only.split(","))
                                .map(String::trim)
                                .map(Integer::valueOf)
                                .collect(Collectors.toSet()),
                Long.getLong("bench.runner.pid", 0),
                Long.getLong("bench.startup.ms", -1),
                System.getProperty("bench.out"));
    }

    /** Whether scenario {@code number} runs: all of them unless {@code BENCH_ONLY} names some. */
    boolean runs(int number) {
        return only.isEmpty() || only.contains(number);
    }

    /** Shorter phases (floor, awaited levels, adverts): a third of a scenario, at least 5 s. */
    Duration phase() {
        return Duration.ofSeconds(Math.max(5, scenario.toSeconds() / 3));
    }
}
