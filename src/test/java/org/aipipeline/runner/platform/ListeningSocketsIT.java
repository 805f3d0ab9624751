package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.aipipeline.runner.testing.RunnerJar;
import org.junit.jupiter.api.Test;

/**
 * An embedded-default runner ({@code java -jar runner-microbundle.jar} with nothing configured:
 * H2, the embedded File Service, the embedded broker, Payara's data grid) listens on the network
 * with HTTP only: every other socket it listens on is bound to loopback. Read from the kernel's
 * socket tables for the runner's own process (/proc), so nothing the runner says about itself is
 * taken on trust. The embedded broker gets a port of its own, since a RabbitMQ holds 5672 here.
 */
class ListeningSocketsIT {

    private static final Duration READY_WITHIN = Duration.ofSeconds(240);

    /** One listening socket of the process: protocol, address as printed, port, loopback or not. */
    record Listening(String protocol, String address, int port, boolean loopback) {
        @Override
        public String toString() {
            return protocol + " " + address + ":" + port;
        }
    }

    @Test
    void everythingButHttpListensOnLoopbackOnly() throws Exception {
        int files = RunnerJar.freePort();
        int broker = RunnerJar.freePort();
        try (RunnerJar runner = RunnerJar.start(
                RunnerJar.freePort(),
                false,
                Map.of(
                        "FILES_SERVICE_PORT", String.valueOf(files),
                        "MESSAGING_EMBEDDED_BROKER_PORT", String.valueOf(broker)))) {
            runner.awaitReady(READY_WITHIN);
            int http = runner.httpPort();
            List<Listening> sockets = listening(runner.process().pid());
            String seen = sockets.stream().map(Listening::toString).collect(Collectors.joining(", "));

            Set<Integer> ports = sockets.stream().map(Listening::port).collect(Collectors.toSet());
            assertTrue(
                    ports.containsAll(Set.of(http, files, broker)),
                    "HTTP " + http + ", File Service " + files + " and broker " + broker
                            + " should all listen; listening: " + seen);
            List<Listening> exposed =
                    sockets.stream().filter(s -> !s.loopback()).toList();
            assertEquals(
                    Set.of(http),
                    exposed.stream().map(Listening::port).collect(Collectors.toSet()),
                    "only HTTP may listen beyond loopback; listening: " + seen);
        }
    }

    /** The sockets the process listens on: TCP in state LISTEN and bound UDP, IPv4 and IPv6. */
    static List<Listening> listening(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<Listening> sockets = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean tcp = table.startsWith("tcp");
                // st 0A is LISTEN; an unconnected UDP socket (07) receives from anyone
                if (!inodes.contains(f[9]) || (tcp ? !f[3].equals("0A") : !f[3].equals("07"))) {
                    continue;
                }
                String[] local = f[1].split(":");
                sockets.add(new Listening(
                        table, printable(local[0]), Integer.parseInt(local[1], 16), isLoopback(local[0])));
            }
        }
        return sockets;
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        return inodes;
    }

    /**
     * The kernel prints addresses as 32-bit words in host (little-endian) order: 127.0.0.1 is
     * 0100007F; in the IPv6 table ::1 is 00000000000000000000000001000000 and the IPv4-mapped
     * ::ffff:127.0.0.1 is 0000000000000000FFFF00000100007F.
     */
    static boolean isLoopback(String hex) {
        if (hex.length() == 8) {
            return hex.endsWith("7F");
        }
        return hex.equals("00000000000000000000000001000000")
                || (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"));
    }

    private static String printable(String hex) {
        if (hex.length() == 8) {
            return Integer.parseInt(hex.substring(6, 8), 16) + "." + Integer.parseInt(hex.substring(4, 6), 16) + "."
                    + Integer.parseInt(hex.substring(2, 4), 16) + "." + Integer.parseInt(hex.substring(0, 2), 16);
        }
        return "[" + hex + "]";
    }
}
