package org.aipipeline.runner.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The real {@code target/runner-microbundle.jar} in a JVM of its own, as a user starts it:
 * a data directory of its own, none of the suite's database, broker or File Service settings
 * (so it takes the embedded defaults unless a test sets them), its output in a log file.
 */
public final class RunnerJar {

    private static final Path JAR = Path.of("target", "runner-microbundle.jar");

    private final Path dataDir;
    private final Path log;
    private final ProcessBuilder builder;

    private RunnerJar(Path dataDir, List<String> command) {
        this.dataDir = dataDir;
        this.log = dataDir.resolve("runner.log");
        this.builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("DB_") || key.startsWith("FILES_SERVICE") || key.startsWith("RABBITMQ")
                || key.startsWith("MESSAGING_") || key.startsWith("HTTP_"));
        env.put("DATA_DIR", dataDir.toString());
    }

    /** The jar on HTTP port {@code httpPort}, clustering and phone-home off as the README starts it. */
    public static RunnerJar onPort(int httpPort, String... moreOptions) throws IOException {
        assertTrue(Files.exists(JAR), JAR + " is built by mvn package");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", JAR.toString(), "--nocluster", "--disablephonehome", "--port", String.valueOf(httpPort)));
        command.addAll(List.of(moreOptions));
        return new RunnerJar(Files.createTempDirectory("runner-jar-it"), command);
    }

    public RunnerJar env(String name, String value) {
        builder.environment().put(name, value);
        return this;
    }

    public Process start() throws IOException {
        return builder.start();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The last 20,000 characters the runner printed. */
    public String output() throws IOException {
        String all = Files.readString(log);
        return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
