package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.PossibleAuthenticationFailureException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedded broker is only as open as RabbitMQ would be: loopback and guest/guest by default;
 * bound beyond loopback, guest is refused and the generated credentials (a 0600 file under
 * data.dir, reused across restarts) are required. Real AMQP connections to the real Qpid broker,
 * on free ports (never 5672, where RabbitMQ runs).
 */
class EmbeddedBrokerExposureTest {

    /** Held strongly: java.util.logging keeps only weak references to loggers. */
    private static final Logger BROKER_LOG = Logger.getLogger(EmbeddedBroker.class.getName());

    private static final Logger CREDENTIALS_LOG = Logger.getLogger(EmbeddedBrokerCredentials.class.getName());

    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getLevel() + " " + new SimpleFormatter().formatMessage(record));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private Path dataDir;
    private int port;

    @BeforeEach
    void setUp() throws IOException {
        dataDir = Files.createTempDirectory("embedded-broker-exposure");
        port = TcpProxy.freePort();
        BROKER_LOG.addHandler(capture);
        CREDENTIALS_LOG.addHandler(capture);
    }

    @AfterEach
    void tearDown() {
        BROKER_LOG.removeHandler(capture);
        CREDENTIALS_LOG.removeHandler(capture);
    }

    @Test
    void theShippedDefaultIsLoopback() throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/microprofile-config.properties")) {
            shipped.load(in);
        }
        assertEquals("127.0.0.1", shipped.getProperty("messaging.embedded-broker.bind-address"));
        assertEquals("127.0.0.1", EmbeddedBrokerSettings.defaults().bindAddress());
    }

    @Test
    void byDefaultItListensOnLoopbackOnlyAndAcceptsGuest() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        try (EmbeddedBroker broker =
                EmbeddedBroker.start(settings(EmbeddedBrokerSettings.defaults().bindAddress()))) {
            assertEquals("amqp://guest:guest@127.0.0.1:" + port, broker.uri());
            assertTrue(canDeclareAQueue(connect("127.0.0.1", "guest", "guest")));
            assertFalse(Files.exists(dataDir.resolve("embedded-broker")), "no credentials are generated on loopback");
            assumeTrue(external.isPresent(), "this machine has no non-loopback address to try");
            assertThrows(
                    IOException.class,
                    () -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(external.get(), port), 2_000);
                        }
                    },
                    "the broker must not be reachable on " + external.get());
        }
    }

    @Test
    void boundToAllAddressesItRefusesGuestAndAcceptsTheGeneratedCredentials() throws Exception {
        String host = nonLoopbackAddress().map(InetAddress::getHostAddress).orElse("127.0.0.1");
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings("0.0.0.0"))) {
            Properties credentials = credentialsFile();

            assertThrows(PossibleAuthenticationFailureException.class, () -> connect("127.0.0.1", "guest", "guest"));
            assertThrows(PossibleAuthenticationFailureException.class, () -> connect(host, "guest", "guest"));
            assertTrue(canDeclareAQueue(
                    connect(host, credentials.getProperty("username"), credentials.getProperty("password"))));
            assertTrue(canDeclareAQueue(connectTo(broker.uri())), "the runner's own URI carries the credentials");
            assertEquals("runner", credentials.getProperty("username"));
            assertTrue(credentials.getProperty("password").length() >= 32, "a generated, long password");
        }
    }

    @Test
    void boundToOneAddressItListensThereOnlyAndTheRunnerConnectsThere() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "this machine has no non-loopback address to bind to");
        String host = external.get().getHostAddress();
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings(host))) {
            assertTrue(broker.uri().endsWith("@" + host + ":" + port), "the runner's URI names the bound address");
            assertTrue(canDeclareAQueue(connectTo(broker.uri())));
            assertThrows(PossibleAuthenticationFailureException.class, () -> connect(host, "guest", "guest"));
            assertThrows(
                    IOException.class,
                    () -> {
                        try (Socket socket = new Socket()) {
                            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2_000);
                        }
                    },
                    "bound to " + host + " only, not to loopback");
        }
    }

    @Test
    void theCredentialsFileIsOwnerOnlyAndReusedAcrossRestarts() throws Exception {
        Properties first;
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings("0.0.0.0"))) {
            first = credentialsFile();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(credentialsPath())));
        }
        try (EmbeddedBroker again = EmbeddedBroker.start(settings("0.0.0.0"))) {
            assertEquals(first, credentialsFile(), "the same credentials after a restart");
            assertTrue(canDeclareAQueue(
                    connect("127.0.0.1", first.getProperty("username"), first.getProperty("password"))));
        }
        Path otherDataDir = Files.createTempDirectory("embedded-broker-exposure-other");
        assertNotEquals(
                first.getProperty("password"),
                EmbeddedBrokerCredentials.generatedIn(otherDataDir).password(),
                "a fresh password per data directory");
    }

    @Test
    void theLogSaysItIsExposedAndWhereTheCredentialsAreButNeverThePassword() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(settings("0.0.0.0"))) {
            String password = credentialsFile().getProperty("password");
            assertTrue(
                    logged.stream()
                            .anyMatch(line -> line.startsWith("WARNING")
                                    && line.contains("EXPOSED")
                                    && line.contains("nodes connect with amqp://runner:<see file " + credentialsPath()
                                            + ">@<this host>:" + port)),
                    String.valueOf(logged));
            assertTrue(logged.stream().noneMatch(line -> line.contains(password)), "the password must never be logged");
            assertFalse(new EmbeddedBrokerCredentials("runner", password, credentialsPath())
                    .toString()
                    .contains(password));
        }
    }

    @Test
    void aCredentialsFileOthersCanReadIsWarnedAbout() throws Exception {
        EmbeddedBrokerCredentials.generatedIn(dataDir);
        Files.setPosixFilePermissions(credentialsPath(), PosixFilePermissions.fromString("rw-r--r--"));

        EmbeddedBrokerCredentials.generatedIn(dataDir);

        assertTrue(
                logged.stream()
                        .anyMatch(line -> line.startsWith("WARNING")
                                && line.contains(credentialsPath().toString())
                                && line.contains("chmod 600")),
                String.valueOf(logged));
    }

    private EmbeddedBrokerSettings settings(String bindAddress) {
        return new EmbeddedBrokerSettings(true, port, bindAddress, dataDir);
    }

    private Path credentialsPath() {
        return dataDir.resolve("embedded-broker")
                .resolve("credentials.properties")
                .toAbsolutePath()
                .normalize();
    }

    private Properties credentialsFile() throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(credentialsPath(), StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    private Connection connect(String host, String username, String password) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(host);
        factory.setPort(port);
        factory.setUsername(username);
        factory.setPassword(password);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("embedded-broker-exposure-test");
    }

    private static Connection connectTo(String uri) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(uri);
        factory.setAutomaticRecoveryEnabled(false);
        return factory.newConnection("embedded-broker-exposure-test");
    }

    /** Uses the connection for something a node does, then closes it. */
    private static boolean canDeclareAQueue(Connection connection) throws Exception {
        try (connection;
                Channel channel = connection.createChannel()) {
            return channel.queueDeclare("exposure-probe", false, false, true, null)
                    .getQueue()
                    .equals("exposure-probe");
        }
    }

    /** An IPv4 address of an interface that is up and not loopback, if this machine has one. */
    static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        return NetworkInterface.networkInterfaces()
                .filter(network -> {
                    try {
                        return network.isUp() && !network.isLoopback();
                    } catch (IOException e) {
                        return false;
                    }
                })
                .flatMap(NetworkInterface::inetAddresses)
                .filter(address -> address instanceof Inet4Address
                        && !address.isLoopbackAddress()
                        && !address.isLinkLocalAddress())
                .findFirst();
    }
}
