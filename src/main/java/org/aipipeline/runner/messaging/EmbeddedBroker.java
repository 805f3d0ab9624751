package org.aipipeline.runner.messaging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
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
 * {@code java -jar} works without RabbitMQ. Production uses RabbitMQ: messages here live only as
 * long as the runner.
 *
 * <p>Secure by default, like RabbitMQ: it listens on loopback, where guest/guest is accepted.
 * Bound to any other address ({@code messaging.embedded-broker.bind-address}) anyone who reaches
 * the port could forge node reports or read node queues, so guest is not accepted there and
 * {@link EmbeddedBrokerCredentials generated credentials} are required, of the runner too.
 *
 * <p>The only class that imports Qpid; nothing loads it unless the embedded default is used.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(EmbeddedBroker.class.getName());

    /**
     * One account, AMQP 0-9-1 only, one in-memory virtual host. The account comes from context
     * variables, so the password is never written into the configuration file.
     */
    private static final String INITIAL_CONFIG = """
            {
              "name": "runner-embedded-broker",
              "modelVersion": "9.0",
              "authenticationproviders": [{
                "name": "plain", "type": "Plain", "secureOnlyMechanisms": [],
                "users": [{"name": "${qpid.runner_user}", "type": "managed", "password": "${qpid.runner_password}"}]
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
            java.util.logging.Logger.getLogger("qpid.message"), java.util.logging.Logger.getLogger("org.apache.qpid"));

    private final SystemLauncher launcher;
    private final Path workDir;
    private final int port;
    private final String connectHost;
    private final EmbeddedBrokerCredentials credentials;

    private EmbeddedBroker(
            SystemLauncher launcher,
            Path workDir,
            int port,
            String connectHost,
            EmbeddedBrokerCredentials credentials) {
        this.launcher = launcher;
        this.workDir = workDir;
        this.port = port;
        this.connectHost = connectHost;
        this.credentials = credentials;
    }

    /**
     * Starts a broker on {@code settings.port()} of {@code settings.bindAddress()}: with guest/guest
     * on loopback, with the credentials kept under {@code settings.dataDir()} anywhere else.
     *
     * @throws IllegalStateException the broker did not start (port taken, address not of this machine, ...)
     */
    public static EmbeddedBroker start(EmbeddedBrokerSettings settings) {
        QUIETED.forEach(logger -> logger.setLevel(java.util.logging.Level.WARNING));
        int port = settings.port();
        InetAddress bind = address(settings.bindAddress());
        EmbeddedBrokerCredentials credentials = bind.isLoopbackAddress()
                ? EmbeddedBrokerCredentials.GUEST
                : EmbeddedBrokerCredentials.generatedIn(settings.dataDir());
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
            attributes.put(
                    "context",
                    Map.of(
                            "qpid.work_dir", workDir.toString(),
                            "qpid.amqp_port", String.valueOf(port),
                            "qpid.amqp_bind", bind.getHostAddress(),
                            "qpid.runner_user", credentials.username(),
                            "qpid.runner_password", credentials.password()));
            launcher.startup(attributes);
        } catch (Exception e) {
            launcher.shutdown();
            deleteQuietly(workDir);
            throw new IllegalStateException(
                    "Embedded AMQP broker did not start on " + settings.bindAddress() + ":" + port + ": "
                            + e.getMessage(),
                    e);
        }
        EmbeddedBroker broker = new EmbeddedBroker(launcher, workDir, port, connectHost(bind), credentials);
        broker.announce(bind);
        return broker;
    }

    private void announce(InetAddress bind) {
        String where =
                "No RabbitMQ configured or reachable: started the embedded AMQP 0-9-1 broker (Apache Qpid Broker-J, "
                        + "in memory) on " + uriHost(bind.getHostAddress()) + ":" + port + "; ";
        String production = " Messages do not survive a restart; set RABBITMQ_URL in production.";
        if (bind.isLoopbackAddress()) {
            LOG.log(
                    Level.WARNING,
                    where + "nodes on this machine connect with " + credentials.redactedUri("localhost", port)
                            + " (loopback only: set MESSAGING_EMBEDDED_BROKER_BIND_ADDRESS for nodes elsewhere)."
                            + production);
        } else {
            LOG.log(
                    Level.WARNING,
                    where + "it is EXPOSED to every host that can reach this address, over unencrypted AMQP; "
                            + "guest is refused and nodes connect with "
                            + credentials.redactedUri(
                                    bind.isAnyLocalAddress() ? "<this host>" : uriHost(bind.getHostAddress()), port)
                            + "." + production);
        }
    }

    /**
     * The embedded default: a broker unless something already listens on {@code localhost:port}
     * (a local RabbitMQ, which the runner then uses). Null when none was started or it failed
     * (the runner then keeps retrying localhost like for any absent broker).
     */
    static EmbeddedBroker startIfNothingListens(EmbeddedBrokerSettings settings) {
        if (somethingListens("localhost", settings.port())) {
            return null;
        }
        try {
            return start(settings);
        } catch (IllegalStateException | UncheckedIOException | LinkageError e) {
            LOG.log(
                    Level.ERROR,
                    "Embedded AMQP broker unavailable; waiting for a RabbitMQ on localhost:" + settings.port(),
                    e);
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

    /** The URI the runner connects with, credentials included (never log it). */
    public String uri() {
        return credentials.uri(connectHost, port);
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

    private static InetAddress address(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(
                    "messaging.embedded-broker.bind-address '" + bindAddress
                            + "' cannot be resolved: give an IP address of this machine",
                    e);
        }
    }

    /** Where the runner reaches its own broker: the bound address, or loopback when bound to all. */
    private static String connectHost(InetAddress bind) {
        return bind.isAnyLocalAddress()
                ? InetAddress.getLoopbackAddress().getHostAddress()
                : uriHost(bind.getHostAddress());
    }

    private static String uriHost(String address) {
        return address.contains(":") ? "[" + address + "]" : address;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory; the OS cleans it eventually
        }
    }
}
