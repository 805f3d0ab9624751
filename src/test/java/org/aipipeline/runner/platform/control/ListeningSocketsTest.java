package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListeningSocketsTest {

    @Test
    void aPortThisProcessListensOnIsOurs() throws Exception {
        assumeTrue(ListeningSockets.canTell(), "needs Linux /proc");
        try (ServerSocket ours = new ServerSocket(0)) {
            assertTrue(ListeningSockets.thisProcessListensOn(ours.getLocalPort()));
        }
    }

    @Test
    void aPortAnotherProcessListensOnIsNotOurs() throws Exception {
        assumeTrue(ListeningSockets.canTell(), "needs Linux /proc");
        boolean postgresListens;
        try (Socket probe = new Socket("127.0.0.1", 5432)) {
            postgresListens = true;
        } catch (java.io.IOException e) {
            postgresListens = false;
        }
        assumeTrue(postgresListens, "needs PostgreSQL listening on 5432 (another process)");
        assertFalse(ListeningSockets.thisProcessListensOn(5432));
    }

    @Test
    void aClosedPortIsNobodys() throws Exception {
        assumeTrue(ListeningSockets.canTell(), "needs Linux /proc");
        int port;
        try (ServerSocket gone = new ServerSocket(0)) {
            port = gone.getLocalPort();
        }
        assertFalse(ListeningSockets.thisProcessListensOn(port));
    }

    @Test
    void readsListeningInodesOfOnePortFromAProcTable() {
        List<String> table = List.of(
                "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
                "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4711 1 0",
                "   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4712 1 0",
                "   2: 00000000:2382 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4713 1 0");
        assertEquals(Set.of("4711"), ListeningSockets.listeningInodes(table, 8080));
        assertEquals(Set.of("4713"), ListeningSockets.listeningInodes(table, 9090));
        assertEquals(Set.of(), ListeningSockets.listeningInodes(table, 5672));
    }
}
