package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.testing.RunnerJar;
import org.junit.jupiter.api.Test;

/**
 * The real runner jar, started on a port another process holds (or with a File Service
 * certificate it cannot read), must exit with status 1 and say which port (or file), instead of
 * running on without HTTP or without its File Service. Each case starts
 * its own JVM (embedded H2, a data directory of its own, a broker address that cannot connect, so
 * nothing touches shared queues).
 */
class StartupPortsIT {

    private static final long WAIT_SECONDS = 180;

    @Test
    void aTakenHttpPortMakesTheRunnerExitSayingSo() throws Exception {
        try (ServerSocket squatter = squat()) {
            int port = squatter.getLocalPort();
            Exit exit = start(port, freePort(), Map.of());
            assertEquals(1, exit.status(), exit.output());
            // Payara Micro fails its boot on the bind and lingers; the watchdog makes it exit.
            assertTrue(
                    exit.output().contains("Orchestration Runner cannot start: the server did not start"),
                    exit.output());
            assertTrue(exit.output().contains("Address already in use"), exit.output());
        }
    }

    @Test
    void aTakenFileServicePortMakesTheRunnerExitSayingSo() throws Exception {
        try (ServerSocket squatter = squat()) {
            int port = squatter.getLocalPort();
            Exit exit = start(freePort(), port, Map.of());
            assertEquals(1, exit.status(), exit.output());
            assertTrue(
                    exit.output().contains(String.valueOf(port))
                            && exit.output().contains("FILES_SERVICE_PORT"),
                    exit.output());
        }
    }

    @Test
    void anUnreadableFileServiceCertificateMakesTheRunnerExitSayingSo() throws Exception {
        String missing = Path.of("target", "no-such-file-service-certificate.pem")
                .toAbsolutePath()
                .toString();
        Exit exit = start(
                freePort(),
                freePort(),
                Map.of("FILES_SERVICE_TLS_CERT_PATH", missing, "FILES_SERVICE_TLS_KEY_PATH", missing));
        assertEquals(1, exit.status(), exit.output());
        assertTrue(
                exit.output().contains("Orchestration Runner cannot start: Cannot read " + missing)
                        && exit.output().contains("FILES_SERVICE_TLS_CERT_PATH"),
                exit.output());
    }

    private record Exit(int status, String output) {}

    /** A listening socket on every address, as another program holding the port would have. */
    private static ServerSocket squat() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
        return socket;
    }

    private static int freePort() throws IOException {
        return RunnerJar.freePort();
    }

    private static Exit start(int httpPort, int filesPort, Map<String, String> moreEnvironment) throws Exception {
        Map<String, String> environment = new HashMap<>(moreEnvironment);
        environment.put("FILES_SERVICE_PORT", String.valueOf(filesPort));
        environment.put("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/startup-ports-it-no-such-vhost");
        try (RunnerJar jar = RunnerJar.start(httpPort, true, environment)) {
            if (!jar.process().waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                return new Exit(-1, "still running after " + WAIT_SECONDS + " s:\n" + jar.logTail());
            }
            return new Exit(jar.process().exitValue(), jar.logTail());
        }
    }
}
