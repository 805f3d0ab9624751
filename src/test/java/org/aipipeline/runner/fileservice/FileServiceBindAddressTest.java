package org.aipipeline.runner.fileservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.aipipeline.runner.fileservice.boundary.FileServiceServer;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A File Service listens on loopback unless given an address, and says loudly when it listens
 * beyond loopback without a token. Reachability is checked with plain sockets on this machine's
 * own addresses.
 */
class FileServiceBindAddressTest {

    @TempDir
    Path root;

    private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
    private final Logger serverLog = Logger.getLogger(FileServiceServer.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureWarnings() {
        serverLog.addHandler(capture);
    }

    @AfterEach
    void stopCapturing() {
        serverLog.removeHandler(capture);
    }

    private RunningFileService start(UnaryOperator<FileServiceServer.Settings> settings) {
        return RunningFileService.start(
                settings.apply(FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), root)),
                UnaryOperator.identity());
    }

    /** An IPv4 address of this machine that is not loopback (nor link-local), if it has one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        return NetworkInterface.networkInterfaces()
                .filter(FileServiceBindAddressTest::isUp)
                .flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst();
    }

    private static boolean isUp(NetworkInterface network) {
        try {
            return network.isUp() && !network.isLoopback();
        } catch (SocketException e) {
            return false;
        }
    }

    private static boolean accepts(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 10_000);
            return true;
        } catch (ConnectException refused) {
            return false;
        }
    }

    private static int listCall(RunningFileService service) {
        return service.blocking()
                .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                        .setUserGuid(UUID.randomUUID().toString())
                        .setPageNumber(1)
                        .setPageSize(1)
                        .build())
                .getItemsCount();
    }

    private String warningText() {
        return warnings.stream().map(LogRecord::getMessage).reduce("", String::concat);
    }

    @Test
    void byDefaultOnlyLoopbackAnswers() throws Exception {
        try (RunningFileService service = start(UnaryOperator.identity())) {
            assertTrue(accepts(InetAddress.getByName("127.0.0.1"), service.server.port()));
            assertTrue(warnings.isEmpty(), warningText());
            assertOnlyLoopbackAnswers(service);
        }
    }

    @Test
    void aBlankBindAddressMeansLoopback() throws Exception {
        try (RunningFileService service = start(s -> s.withBindAddress(" "))) {
            assertOnlyLoopbackAnswers(service);
        }
    }

    private static void assertOnlyLoopbackAnswers(RunningFileService service) throws IOException {
        int port = service.server.port();
        assertEquals("127.0.0.1:" + port, service.server.localTarget());
        assertEquals(0, listCall(service));
        Optional<InetAddress> outside = nonLoopbackAddress();
        assumeTrue(outside.isPresent(), "this machine has no address but loopback");
        assertFalse(accepts(outside.get(), port), "the File Service answers on " + outside.get());
    }

    @Test
    void everyInterfaceWithoutATokenWarnsThatAnyoneCanReadTheFiles() throws Exception {
        try (RunningFileService service = start(s -> s.withBindAddress("0.0.0.0"))) {
            String warning = warningText();
            assertTrue(
                    warning.contains("0.0.0.0:" + service.server.port())
                            && warning.contains("without a token")
                            && warning.contains(
                                    "anyone who can reach this port can list, read and delete every user's files")
                            && warning.contains("FILES_SERVICE_TOKEN"),
                    warning);
            // the runner's own client still calls it on loopback
            assertEquals("127.0.0.1:" + service.server.port(), service.server.localTarget());
            assertEquals(0, listCall(service));

            Optional<InetAddress> outside = nonLoopbackAddress();
            assumeTrue(outside.isPresent(), "this machine has no address but loopback");
            assertTrue(accepts(outside.get(), service.server.port()), "0.0.0.0 must answer on " + outside.get());
        }
    }

    @Test
    void everyInterfaceWithATokenDoesNotWarn() throws Exception {
        try (RunningFileService service = start(
                s -> s.withBindAddress("0.0.0.0").withToken(BearerToken.configured("a-token-for-this-test", null)))) {
            assertTrue(warnings.isEmpty(), warningText());
        }
    }
}
