package org.aipipeline.runner.fileservice;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.aipipeline.runner.fileservice.boundary.FileServiceServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A File Service whose port is taken refuses to start, and says which port and how to move it. */
class FileServicePortTest {

    @TempDir
    Path root;

    @Test
    void aTakenPortIsAClearStartFailure() throws Exception {
        try (ServerSocket holder = new ServerSocket(0)) {
            int port = holder.getLocalPort();
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> FileServiceServer.start(
                            FileServiceServer.Settings.of(port, RunningFileService.migratedH2(), root)));
            // held on every interface, wanted on loopback (the default): taken all the same
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("taken by another process"), e.getMessage());
            assertTrue(e.getMessage().contains("FILES_SERVICE_PORT"), e.getMessage());
        }
    }

    @Test
    void aTakenPortOnABindAddressNamesTheAddress() throws Exception {
        try (ServerSocket holder = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = holder.getLocalPort();
            UncheckedIOException e = assertThrows(
                    UncheckedIOException.class,
                    () -> FileServiceServer.start(
                            FileServiceServer.Settings.of(port, RunningFileService.migratedH2(), root)
                                    .withBindAddress("127.0.0.1")));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + port), e.getMessage());
            assertTrue(e.getMessage().contains("taken by another process"), e.getMessage());
        }
    }
}
