package org.aipipeline.runner.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One process the fault suite starts, kills and restarts: a runner instance (or the stand-alone
 * File Service). Its output is appended to one log per name, so a restart's log follows the
 * killed one's. Every pid is written to {@code pids} so that {@code bench/faults.sh} can end
 * what a crashed suite left behind.
 */
final class ManagedRunner {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final String url;
    private final Path log;
    private final Path pids;
    private Process process;

    ManagedRunner(
            String name, List<String> command, Map<String, String> environment, String url, Path logDir, Path pids) {
        this.name = name;
        this.command = command;
        this.environment = environment;
        this.url = url;
        this.log = logDir.resolve("faults-" + name + ".log");
        this.pids = pids;
    }

    /** A runner instance on {@code port}, started the way {@code bench/run.sh} starts it. */
    static ManagedRunner runner(String name, int port, Map<String, String> environment, FaultSettings settings) {
        List<String> command = List.of(
                "java",
                "-Xmx512m",
                "-XX:+UseG1GC",
                "-jar",
                settings.runnerJar(),
                "--nocluster",
                "--disablephonehome",
                "--port",
                Integer.toString(port),
                "--postbootcommandfile",
                "payara-config/post-boot-commands.txt");
        return new ManagedRunner(
                name, command, environment, "http://localhost:" + port, settings.logDir(), settings.pids());
    }

    String name() {
        return name;
    }

    String url() {
        return url;
    }

    long pid() {
        return process == null ? -1 : process.pid();
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    void start() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        process = builder.start();
        Files.writeString(pids, process.pid() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        System.out.printf("  started %s (pid %d), log %s%n", name, process.pid(), log);
    }

    /** Polls {@code /health/ready} (a runner) until it answers 200; false after {@code patience}. */
    boolean awaitReady(HttpClient http, Duration patience) throws InterruptedException {
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/health/ready"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline && alive()) {
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        return false;
    }

    /** {@code kill -9}: no shutdown hook, no graceful close of connections or transactions. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** SIGTERM, as a deployment would stop it; SIGKILL after 30 s. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
