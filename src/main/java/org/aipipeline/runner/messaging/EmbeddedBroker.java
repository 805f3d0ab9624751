package org.aipipeline.runner.messaging;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.qpid.server.SystemLauncher;

/**
 * An AMQP 0-9-1 broker inside the runner's JVM (Apache Qpid Broker-J, everything in memory), so
 * {@code java -jar} works without RabbitMQ. External nodes connect to it as to RabbitMQ
 * ({@code amqp://guest:guest@<host>:5672}). Production uses RabbitMQ: messages here live only as
 * long as the runner.
 *
 * <p>The only class that imports Qpid; nothing loads it unless the embedded default is used.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedBroker.class.getName());

    /** Plain guest/guest (RabbitMQ's default account), AMQP 0-9-1 only, one in-memory virtual host. */
    private static final String INITIAL_CONFIG = """
            {
              "name": "runner-embedded-broker",
              "modelVersion": "9.0",
              "authenticationproviders": [{
                "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                "users": [{"name": "guest", "type": "managed", "password": "guest"}]
              }],
              "ports": [{
                "name": "AMQP", "port": "${qpid.amqp_port}", "bindingAddress": "${qpid.amqp_bind}",
                "protocols": ["AMQP_0_9_1"], "authenticationProvider": "plain",
                "virtualhostaliases": [{"name": "default", "type": "defaultAlias"}]
              }],
              "virtualhostnodes": [{
                "name": "default", "type": "Memory", "defaultVirtualHostNode": "true",
                "virtualHostInitialConfiguration": "{\\"type\\": \\"Memory\\"}"
              }]
            }
            """;

    /**
     * Qpid logs every connection, channel, queue and binding at INFO ("operational" messages):
     * fine for a broker's own log, noise in the runner's. Held strongly: java.util.logging keeps
     * only weak references, and a collected logger loses its level.
     */
    private static final List<java.util.logging.Logger> QUIETED = List.of(
            java.util.logging.Logger.getLogger("qpid.message"),
            java.util.logging.Logger.getLogger("org.apache.qpid"));

    private final SystemLauncher launcher;
    private final Path workDir;
    private final int port;

    private EmbeddedBroker(SystemLauncher launcher, Path workDir, int port) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.port = port;
    }

    /**
     * Starts a broker on {@code port} of every interface (nodes run elsewhere too).
     *
     * @throws IllegalStateException the broker did not start (port taken, ...)
     */
    public static EmbeddedBroker start(int port) {
        return start(port, "0.0.0.0");
    }

    static EmbeddedBroker start(int port, String bindAddress) {
        QUIETED.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        Path workDir = null;
        SystemLauncher launcher = new SystemLauncher();
        try {
            workDir = Files.createTempDirectory("runner-embedded-broker");
            Path config = workDir.resolve("initial-config.json");
            Files.writeString(config, INITIAL_CONFIG, StandardCharsets.UTF_8);
            Map<String, Object> attributes = new HashMap<>();
            attributes.put("type", "Memory");
            attributes.put("initialConfigurationLocation", config.toUri().toString());
            // Qpid's defaults are "classpath:" URLs, whose handler the JDK finds only on the system
            // class path, never in a WAR: every location must be a real file.
            Path systemProperties = Files.writeString(workDir.resolve("system.properties"), "", StandardCharsets.UTF_8);
            attributes.put("initialSystemPropertiesLocation", systemProperties.toString());
            attributes.put("startupLoggedToSystemOut", false);
            // No preferences.json, no log files: nothing of the embedded broker outlives the runner.
            attributes.put("preferenceStoreAttributes", "{\"type\": \"Noop\"}");
            attributes.put("context", Map.of(
                    "qpid.work_dir", workDir.toString(),
                    "qpid.amqp_port", String.valueOf(port),
                    "qpid.amqp_bind", bindAddress));
            launcher.startup(attributes);
        } catch (Exception e) {
            launcher.shutdown();
            deleteQuietly(workDir);
            throw new IllegalStateException("Embedded AMQP broker did not start on port " + port + ": " + e.getMessage(), e);
        }
        LOG.log(Level.WARNING, "No RabbitMQ configured or reachable: started the embedded AMQP 0-9-1 broker "
                + "(Apache Qpid Broker-J, in memory) on port {0}; nodes connect with amqp://guest:guest@<this host>:{0}. "
                + "Messages do not survive a restart; set RABBITMQ_URL in production.", String.valueOf(port));
        return new EmbeddedBroker(launcher, workDir, port);
    }

    /**
     * The embedded default: a broker on {@code port} unless something already listens there
     * (a local RabbitMQ, which the runner then uses). Null when none was started or it failed
     * (the runner then keeps retrying localhost like for any absent broker).
     */
    static AutoCloseable startIfNothingListens(int port) {
        if (somethingListens("localhost", port)) {
            return null;
        }
        try {
            return start(port);
        } catch (IllegalStateException | LinkageError e) {
            LOG.log(Level.ERROR, "Embedded AMQP broker unavailable; waiting for a RabbitMQ on localhost:" + port, e);
            return null;
        }
    }

    static boolean somethingListens(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        launcher.shutdown();
        deleteQuietly(workDir);
        LOG.log(Level.INFO, "Embedded AMQP broker on port {0} stopped", String.valueOf(port));
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory; the OS cleans it eventually
        }
    }
}
