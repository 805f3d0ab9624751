package org.aipipeline.runner.platform.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Whether this process itself listens on a TCP port, read from Linux's {@code /proc}: the
 * listening sockets of the network namespace ({@code /proc/net/tcp}, {@code tcp6}, state 0A) by
 * inode, against the sockets among this process's open files ({@code /proc/self/fd}). Elsewhere
 * it cannot tell and says so ({@link #canTell()}).
 */
public final class ListeningSockets {

    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    public static boolean canTell() {
        return Files.isReadable(PROC.resolve("net/tcp")) && Files.isDirectory(PROC.resolve("self/fd"));
    }

    /** True if one of this process's sockets is listening on {@code port} (any address). */
    public static boolean thisProcessListensOn(int port) throws IOException {
        Set<String> listening = new HashSet<>();
        for (String table : List.of("net/tcp", "net/tcp6")) {
            Path file = PROC.resolve(table);
            if (Files.isReadable(file)) {
                listening.addAll(listeningInodes(Files.readAllLines(file), port));
            }
        }
        if (listening.isEmpty()) {
            return false;
        }
        try (Stream<Path> fds = Files.list(PROC.resolve("self/fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    return target.startsWith("socket:[") && listening.contains(target.substring(8, target.length() - 1));
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed meanwhile, or not a link
                }
            });
        }
    }

    /**
     * The inodes of the sockets listening on {@code port} in one {@code /proc/net/tcp*} table:
     * "sl local_address rem_address st … inode", addresses as HEXIP:HEXPORT.
     */
    static Set<String> listeningInodes(List<String> table, int port) {
        Set<String> inodes = new HashSet<>();
        String hexPort = String.format(":%04X", port);
        for (String line : table.subList(Math.min(1, table.size()), table.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > 9 && fields[1].endsWith(hexPort) && LISTEN.equals(fields[3])) {
                inodes.add(fields[9]);
            }
        }
        return inodes;
    }
}
