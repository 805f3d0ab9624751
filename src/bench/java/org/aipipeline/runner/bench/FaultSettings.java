package org.aipipeline.runner.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The fault suite's settings: system properties that {@code bench/faults.sh} sets from its environment. */
record FaultSettings(
        String runnerJar,
        String dbUrl,
        String dbUser,
        String dbPassword,
        String amqpUrl,
        String dataDir,
        String jwtPrivateKey,
        String jwtPublicKey,
        int port,
        int secondPort,
        int filesPort,
        String fileServiceClassPath,
        Set<String> only,
        int batchSize,
        Duration batchPace,
        Duration injectAfter,
        Duration outage,
        Duration afterLift,
        Duration drain,
        int streamThreads,
        Duration streamGap,
        List<String> rabbitStop,
        List<String> rabbitStart,
        List<String> pgStop,
        List<String> pgStart,
        Path logDir,
        Path pids,
        String out) {

    static FaultSettings fromSystemProperties() {
        String only = System.getProperty("faults.only", "").trim();
        return new FaultSettings(
                System.getProperty("faults.jar", "target/runner-microbundle.jar"),
                System.getProperty("faults.db.url", "jdbc:postgresql://127.0.0.1:5432/runner_faults"),
                System.getProperty("faults.db.user", "postgres"),
                System.getProperty("faults.db.password", "postgres"),
                System.getProperty("faults.amqp", "amqp://guest:guest@127.0.0.1:5672"),
                System.getProperty("faults.data.dir", "target/faults-data"),
                System.getProperty("faults.jwt.private"),
                System.getProperty("faults.jwt.public"),
                Integer.getInteger("faults.port", 8080),
                Integer.getInteger("faults.second.port", 8081),
                Integer.getInteger("faults.files.port", 9390),
                System.getProperty(
                        "faults.fileservice.classpath", "target/runner/WEB-INF/classes:target/runner/WEB-INF/lib/*"),
                only.isEmpty()
                        ? Set.of()
                        : Arrays.stream(only.split(",")).map(String::trim).collect(Collectors.toSet()),
                Integer.getInteger("faults.batch", 2_000),
                Duration.ofMillis(Long.getLong("faults.batch.pace.ms", 10)),
                Duration.ofSeconds(Long.getLong("faults.inject.after", 5)),
                Duration.ofSeconds(Long.getLong("faults.outage", 20)),
                Duration.ofSeconds(Long.getLong("faults.after.lift", 10)),
                Duration.ofSeconds(Long.getLong("faults.drain", 150)),
                Integer.getInteger("faults.stream.threads", 2),
                Duration.ofMillis(Long.getLong("faults.stream.gap.ms", 100)),
                command("faults.rabbit.stop", "rabbitmqctl stop_app"),
                command("faults.rabbit.start", "rabbitmqctl start_app"),
                command("faults.pg.stop", "pg_ctlcluster 15 main stop"),
                command("faults.pg.start", "pg_ctlcluster 15 main start"),
                Path.of(System.getProperty("faults.log.dir", "target")),
                Path.of(System.getProperty("faults.pids", "target/faults.pids")),
                System.getProperty("faults.out"));
    }

    boolean runs(String fault) {
        return only.isEmpty() || only.contains(fault);
    }

    /** What every runner instance of the suite shares: database, broker, signing keys. */
    Map<String, String> runnerEnvironment() {
        return Map.of(
                "DB_URL",
                dbUrl,
                "DB_USER",
                dbUser,
                "DB_PASSWORD",
                dbPassword,
                "RABBITMQ_URL",
                amqpUrl,
                // Never the in-process broker: it would take port 5672 while RabbitMQ is stopped.
                "MESSAGING_EMBEDDED_BROKER_ENABLED",
                "false",
                "DATA_DIR",
                dataDir,
                "JWT_PRIVATE_KEY_PATH",
                jwtPrivateKey,
                "JWT_PUBLIC_KEY_PATH",
                jwtPublicKey);
    }

    private static List<String> command(String key, String fallback) {
        return List.of(System.getProperty(key, fallback).trim().split("\\s+"));
    }
}
