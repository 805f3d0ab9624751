package org.aipipeline.runner.files.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.fileservice.RunningFileService;
import org.aipipeline.runner.fileservice.SelfSignedCertificate;
import org.aipipeline.runner.fileservice.boundary.FileServiceServer;
import org.aipipeline.runner.fileservice.boundary.FileServiceTls;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.testing.Poll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's client against a real File Service, without CDI (so without Fault Tolerance). */
class FileServiceClientTest {

    @TempDir
    static Path root;

    static RunningFileService service;
    static FileServiceConnection connection;
    static FileServiceClient client;

    @BeforeAll
    static void start() {
        service = RunningFileService.start(root);
        connection = FileServiceConnection.to(
                "localhost:" + service.server.port(), Duration.ofSeconds(5), Duration.ofMinutes(1));
        client = FileServiceClient.over(connection);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        connection.close();
        service.close();
    }

    private static byte[] random(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    private static StoredFile upload(UUID user, String name, FileStorageScope scope, byte[] data, long hint) {
        return upload(client, user, name, scope, data, hint);
    }

    private static StoredFile upload(
            FileServiceClient by, UUID user, String name, FileStorageScope scope, byte[] data, long hint) {
        return by.upload(
                user, name, "application/x-test", scope, Optional.empty(), new ByteArrayInputStream(data), hint);
    }

    private static byte[] download(UUID user, UUID id) throws IOException {
        return download(client, user, id);
    }

    private static byte[] download(FileServiceClient by, UUID user, UUID id) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (FileDownload download = by.download(user, id)) {
            download.writeTo(out);
        }
        return out.toByteArray();
    }

    @Test
    void smallAndLargeFilesRoundTripByteExact() throws IOException {
        UUID user = UUID.randomUUID();
        for (int size : new int[] {0, 1, 1024 * 1024, 1024 * 1024 + 1, 5 * 1024 * 1024 + 7}) {
            byte[] data = random(size);
            // Unknown size (-1) and a size hint above the unary limit take the two upload paths.
            for (long hint : new long[] {-1, size}) {
                StoredFile file = upload(user, "data.bin", FileStorageScope.SHORT_TERM, data, hint);
                assertEquals(size, file.sizeBytes());
                assertEquals(FileStorageScope.SHORT_TERM, file.storageScope());
                assertEquals("short-term-files/" + file.id() + ".bin", file.path());
                assertArrayEquals(data, download(user, file.id()), "size " + size + " hint " + hint);
            }
        }
    }

    @Test
    void listGetAndGetManyAreScopedToTheUser() {
        UUID user = UUID.randomUUID();
        StoredFile a = upload(user, "a.txt", FileStorageScope.LONG_TERM, new byte[] {1}, 1);
        StoredFile b = upload(user, "b.txt", FileStorageScope.TEMPORARY, new byte[] {2}, 1);
        UUID other = UUID.randomUUID();

        Page<StoredFile> page = client.list(user, Optional.empty(), new PageRequest(1, 1));
        assertEquals(List.of(b), page.items());
        assertEquals(2, page.pagination().totalCount());
        assertTrue(page.pagination().hasNextPage());
        assertEquals(
                List.of(a),
                client.list(user, Optional.of(FileStorageScope.LONG_TERM), new PageRequest(1, 10))
                        .items());
        assertEquals(a, client.get(user, a.id()));
        assertEquals(List.of(b, a), client.getMany(user, List.of(b.id(), a.id()), true));

        assertThrows(RunnerException.NotFound.class, () -> client.get(other, a.id()));
        assertThrows(RunnerException.NotFound.class, () -> client.download(other, a.id()));
        assertThrows(
                RunnerException.NotFound.class, () -> client.getMany(user, List.of(a.id(), UUID.randomUUID()), true));
        assertThrows(RunnerException.NotFound.class, () -> client.delete(other, a.id()));
    }

    @Test
    void aTakenIdIsAConflict() {
        UUID user = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        client.upload(
                user,
                "x",
                "text/plain",
                FileStorageScope.LONG_TERM,
                Optional.of(id),
                new ByteArrayInputStream(new byte[1]),
                1);
        assertThrows(
                RunnerException.Conflict.class,
                () -> client.upload(
                        user,
                        "x",
                        "text/plain",
                        FileStorageScope.LONG_TERM,
                        Optional.of(id),
                        new ByteArrayInputStream(random(2 * 1024 * 1024)),
                        2 * 1024 * 1024));
    }

    @Test
    void deleteAndDeleteAllOfRemoveEverythingOfTheUserOnly() {
        UUID user = UUID.randomUUID();
        UUID neighbour = UUID.randomUUID();
        StoredFile first = upload(user, "1", FileStorageScope.LONG_TERM, new byte[1], 1);
        for (int i = 0; i < 120; i++) {
            upload(user, "f" + i, FileStorageScope.TEMPORARY, new byte[1], 1);
        }
        StoredFile kept = upload(neighbour, "n", FileStorageScope.LONG_TERM, new byte[1], 1);

        client.delete(user, first.id());
        assertThrows(RunnerException.NotFound.class, () -> client.get(user, first.id()));
        assertEquals(120, DeletedUsersFiles.deleteAllOf(client, user));
        assertEquals(
                0,
                client.list(user, Optional.empty(), new PageRequest(1, 10))
                        .pagination()
                        .totalCount());
        assertEquals(kept, client.get(neighbour, kept.id()));
    }

    @Test
    void aStoppedServiceIsUnavailableAtOnceAndUsableAgainWhenBack() throws Exception {
        Path otherRoot = root.resolve("other");
        var dataSource = RunningFileService.migratedH2();
        FileServiceServer server = FileServiceServer.start(FileServiceServer.Settings.of(0, dataSource, otherRoot));
        int port = server.port();
        FileServiceConnection localConnection =
                FileServiceConnection.to(server.localTarget(), Duration.ofSeconds(2), Duration.ofSeconds(30));
        FileServiceClient local = FileServiceClient.over(localConnection);
        try {
            UUID user = UUID.randomUUID();
            StoredFile file = local.upload(
                    user,
                    "f",
                    "text/plain",
                    FileStorageScope.LONG_TERM,
                    Optional.empty(),
                    new ByteArrayInputStream(new byte[] {7}),
                    1);
            server.stop(Duration.ofSeconds(1));

            long started = System.nanoTime();
            assertThrows(RunnerException.Unavailable.class, () -> local.get(user, file.id()));
            assertTrue(localConnection.problem(Duration.ofSeconds(1)).isPresent());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(3)) < 0);

            server = FileServiceServer.start(FileServiceServer.Settings.of(port, dataSource, otherRoot));
            // The call that meets the not yet reconnected channel may still fail (the runner's
            // @Retry covers it); the client must reconnect at once, not after gRPC's long backoff.
            Optional<StoredFile> again = Poll.until(
                    Duration.ofSeconds(3),
                    () -> {
                        try {
                            return Optional.of(local.get(user, file.id()));
                        } catch (RunnerException.Unavailable stillConnecting) {
                            return Optional.<StoredFile>empty();
                        }
                    },
                    Optional::isPresent,
                    "the File Service to be usable again");
            assertEquals(file, again.orElseThrow());
            assertTrue(localConnection.problem(Duration.ofSeconds(2)).isEmpty());
        } finally {
            localConnection.close();
            server.stop(Duration.ofSeconds(1));
        }
    }

    @Test
    void withTokenAndTlsConfiguredTheClientWorksAgainstAGuardedServiceAndWithoutTheTokenIsRefused(@TempDir Path dir)
            throws Exception {
        SelfSignedCertificate certificate = SelfSignedCertificate.create(dir, "files");
        Optional<BearerToken> token = BearerToken.configured("a-token-only-this-test-knows", null);
        FileServiceServer.Settings settings = FileServiceServer.Settings.of(
                        0, RunningFileService.migratedH2(), dir.resolve("files"))
                .withToken(token)
                .withCredentials(FileServiceTls.server(
                        certificate.certificate().toString(),
                        certificate.privateKey().toString()));
        try (RunningFileService guarded = RunningFileService.start(settings, UnaryOperator.identity())) {
            FileServiceChannel tls = FileServiceChannel.plaintext(guarded.server.localTarget())
                    .withCredentials(
                            FileServiceTls.client(certificate.certificate().toString()), null);
            FileServiceConnection withTokenConnection =
                    FileServiceConnection.to(tls.withToken(token), Duration.ofSeconds(5), Duration.ofMinutes(1));
            FileServiceConnection withoutTokenConnection =
                    FileServiceConnection.to(tls, Duration.ofSeconds(5), Duration.ofMinutes(1));
            FileServiceClient withToken = FileServiceClient.over(withTokenConnection);
            FileServiceClient withoutToken = FileServiceClient.over(withoutTokenConnection);
            try {
                UUID user = UUID.randomUUID();
                // one unary upload, one streamed in chunks; downloads are streamed
                for (int size : new int[] {1000, 2 * 1024 * 1024 + 3}) {
                    byte[] data = random(size);
                    StoredFile file = upload(withToken, user, "guarded.bin", FileStorageScope.LONG_TERM, data, size);
                    assertArrayEquals(data, download(withToken, user, file.id()));
                }
                assertEquals(
                        2,
                        withToken
                                .list(user, Optional.empty(), new PageRequest(1, 10))
                                .pagination()
                                .totalCount());
                assertTrue(withTokenConnection.problem(Duration.ofSeconds(5)).isEmpty());

                RunnerException.Unavailable refused = assertThrows(
                        RunnerException.Unavailable.class,
                        () -> withoutToken.list(user, Optional.empty(), new PageRequest(1, 10)));
                assertTrue(refused.getMessage().contains("UNAUTHENTICATED"), refused.getMessage());
                assertTrue(withoutTokenConnection
                        .problem(Duration.ofSeconds(5))
                        .orElseThrow()
                        .startsWith("UNAUTHENTICATED"));
            } finally {
                withTokenConnection.close();
                withoutTokenConnection.close();
            }
        }
    }
}
