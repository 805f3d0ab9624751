package org.aipipeline.runner.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The real runner, {@code java -jar target/runner-microbundle.jar}, in a JVM of its own: for tests
 * that need what Arquillian's deployment cannot give, such as an environment of their own. It
 * gets free HTTP, HTTPS and File Service ports, its own data directory (so the embedded H2
 * database unless {@code DB_URL} is given) and none of the test JVM's DB_, FILES_SERVICE or
 * RABBITMQ variables, only those passed in.
 */
public final class RunnerJar implements AutoCloseable {

    private static final Path JAR = Path.of("target", "runner-microbundle.jar");

    private final Process process;
    private final Path dataDir;
    private final Path log;
    private final int httpPort;
    private final int httpsPort;

    private RunnerJar(Process process, Path dataDir, int httpPort, int httpsPort) {
        this.process = process;
        this.dataDir = dataDir;
        this.log = dataDir.resolve("runner.log");
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    public static RunnerJar start(Map<String, String> environment) throws IOException {
        return start(freePort(), true, environment);
    }

    /**
     * The runner on {@code httpPort}; with {@code https} also an HTTPS listener on a free port (as
     * the suite's runners have), without it only HTTP, as the README's quick start starts it.
     */
    public static RunnerJar start(int httpPort, boolean https, Map<String, String> environment) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(
                    JAR + " is missing: it is built by mvn package, before the integration tests");
        }
        Path dataDir = Files.createTempDirectory("runner-jar");
        Path log = dataDir.resolve("runner.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-jar",
                JAR.toString(),
                "--nocluster",
                "--disablephonehome",
                "--port",
                String.valueOf(httpPort)));
        int httpsPort = https ? freePort() : 0;
        if (https) {
            command.addAll(List.of("--sslport", String.valueOf(httpsPort)));
        }
        ProcessBuilder builder =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(key -> key.startsWith("DB_")
                        || key.startsWith("FILES_SERVICE")
                        || key.startsWith("RABBITMQ")
                        || key.startsWith("MESSAGING_")
                        || key.startsWith("HTTP_"));
        env.put("DATA_DIR", dataDir.toString());
        env.put("FILES_SERVICE_PORT", String.valueOf(freePort()));
        // Fewer PBKDF2 rounds, as for the rest of the suite: registrations stay fast.
        env.put("AUTH_PASSWORD_ITERATIONS", "20000");
        env.putAll(environment);
        return new RunnerJar(builder.start(), dataDir, httpPort, httpsPort);
    }

    /** Waits until {@code /health/ready} answers 200; fails with the log's tail if the runner exits first. */
    public RunnerJar awaitReady(Duration patience) {
        Api health = new Api(url());
        Poll.until(
                patience,
                () -> {
                    if (!process.isAlive()) {
                        throw new AssertionError("the runner exited with " + process.exitValue() + ":\n" + logTail());
                    }
                    try {
                        return health.get("health/ready", null).status();
                    } catch (UncheckedIOException notListeningYet) {
                        return -1;
                    }
                },
                status -> status == 200,
                "the runner's /health/ready");
        return this;
    }

    public Process process() {
        return process;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The HTTPS port (Payara Micro's self-signed certificate); 0 when started without HTTPS. */
    public int httpsPort() {
        return httpsPort;
    }

    public URL url() {
        try {
            return new URL("http://127.0.0.1:" + httpPort + "/");
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Everything the runner logged so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String logTail() {
        String all = log();
        return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
    }

    /** SIGTERM, as a deployment stops it; SIGKILL if it has not exited after 30 s. Then deletes its data. */
    @Override
    public void close() throws InterruptedException, IOException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
