package org.aipipeline.runner.fileservice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.aipipeline.runner.fileservice.boundary.FileServiceServer;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.RemoveFileRequest;
import org.aipipeline.runner.proto.files.StorageScope;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A File Service with a token refuses every call that does not carry it, unary and streaming,
 * over the real wire; one without a token takes calls with or without credentials.
 */
class FileServiceTokenTest {

    static final String TOKEN = "c2VjcmV0LWZvci10ZXN0cy0wMTIzNDU2Nzg5";

    @TempDir
    static Path root;

    /** Requires {@link #TOKEN}; its {@code channel} sends it. */
    static RunningFileService guarded;

    @BeforeAll
    static void start() {
        Optional<BearerToken> token = BearerToken.configured(TOKEN, null);
        guarded = RunningFileService.start(
                FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), root)
                        .withToken(token),
                client -> client.withToken(token));
    }

    @AfterAll
    static void stop() throws InterruptedException {
        guarded.close();
    }

    /** A stub on a channel of its own that sends {@code authorization} as given (nothing when null). */
    private static <T> T withAuthorization(String authorization, Function<Channel, T> call) {
        ManagedChannel channel =
                FileServiceChannel.plaintext(guarded.server.localTarget()).open(1024 * 1024);
        try {
            if (authorization == null) {
                return call.apply(channel);
            }
            Metadata headers = new Metadata();
            headers.put(BearerToken.AUTHORIZATION, authorization);
            return call.apply(
                    ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)));
        } finally {
            channel.shutdownNow();
        }
    }

    private static GetAllFilesRequest listOf(UUID user) {
        return GetAllFilesRequest.newBuilder()
                .setUserGuid(user.toString())
                .setPageNumber(1)
                .setPageSize(10)
                .build();
    }

    /** The refusal of a list call sending {@code authorization}; fails unless it is UNAUTHENTICATED. */
    private static Status refusalOf(String authorization) {
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> withAuthorization(
                        authorization,
                        channel -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .getAllFilesPaginated(listOf(UUID.randomUUID()))));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.toString());
        assertFalse(e.getStatus().getDescription().contains(TOKEN), "the refusal must not echo the token");
        return e.getStatus();
    }

    @Test
    void aCallWithoutTheTokenIsUnauthenticatedAndSaysWhatToSend() {
        String description = refusalOf(null).getDescription();
        assertTrue(
                description.contains("authorization: Bearer <token>") && description.contains("FILES_SERVICE_TOKEN"),
                description);
    }

    @Test
    void aWrongTokenOfTheSameLengthIsUnauthenticated() {
        String wrong = TOKEN.substring(0, TOKEN.length() - 1) + (TOKEN.endsWith("x") ? "y" : "x");
        assertEquals(TOKEN.length(), wrong.length());
        assertTrue(refusalOf("Bearer " + wrong).getDescription().contains("not this File Service's token"));
    }

    @Test
    void tokensOfOtherLengthsAreUnauthenticated() {
        for (String other : new String[] {
            TOKEN.substring(0, 8), TOKEN.substring(0, TOKEN.length() - 1), TOKEN + "0", TOKEN + TOKEN, "x"
        }) {
            assertTrue(refusalOf("Bearer " + other).getDescription().contains("not this File Service's token"), other);
        }
    }

    @Test
    void theTokenWithoutTheBearerSchemeIsUnauthenticated() {
        assertTrue(refusalOf(TOKEN).getDescription().contains("must be 'Bearer <token>'"));
        assertTrue(refusalOf("Basic " + TOKEN).getDescription().contains("must be 'Bearer <token>'"));
    }

    @Test
    void theRightTokenIsAcceptedWhateverTheCaseOfTheScheme() {
        UUID user = UUID.randomUUID();
        for (String scheme : new String[] {"Bearer ", "bearer ", "BEARER "}) {
            int count = withAuthorization(
                    scheme + TOKEN,
                    channel -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getAllFilesPaginated(listOf(user))
                            .getItemsCount());
            assertEquals(0, count, scheme);
        }
    }

    @Test
    void unaryCallsWorkWithTheToken() {
        UUID user = UUID.randomUUID();
        FileDto file = guarded.blocking()
                .uploadFile(UploadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileName("a.txt")
                        .setFileData(ByteString.copyFromUtf8("guarded"))
                        .build())
                .getFile();
        assertEquals(
                "guarded",
                guarded.blocking()
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(file.getFileGuid())
                                .build())
                        .getFileData()
                        .toStringUtf8());
        assertEquals(1, guarded.blocking().getAllFilesPaginated(listOf(user)).getItemsCount());
    }

    @Test
    void streamingCallsWorkWithTheTokenAndAreRefusedWithoutIt() throws Exception {
        UUID user = UUID.randomUUID();
        UploadFileHeader header = UploadFileHeader.newBuilder()
                .setUserGuid(user.toString())
                .setFileName("big.bin")
                .setStorageScope(StorageScope.TEMPORARY)
                .build();
        long size = 3 * Streams.CHUNK + 5;
        FileDto file = Streams.upload(guarded.async(), header, Streams.content(7, size))
                .getFile();
        assertEquals(size, file.getSizeBytes());
        Iterator<DownloadFileChunk> chunks = guarded.blocking()
                .downloadFileStream(DownloadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileGuid(file.getFileGuid())
                        .build());
        assertEquals(Streams.sha256(Streams.content(7, size)), Streams.sha256(Streams.data(chunks)));

        StatusRuntimeException upload = assertThrows(
                StatusRuntimeException.class,
                () -> withAuthorization(null, channel -> {
                    try {
                        return Streams.upload(
                                FileServiceInterfaceGrpc.newStub(channel), header, Streams.content(8, size));
                    } catch (Exception e) {
                        throw e instanceof StatusRuntimeException s ? s : new IllegalStateException(e);
                    }
                }));
        assertEquals(Status.Code.UNAUTHENTICATED, upload.getStatus().getCode(), upload.toString());
        StatusRuntimeException download = assertThrows(
                StatusRuntimeException.class,
                () -> withAuthorization(
                        null,
                        channel -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .downloadFileStream(DownloadFileRequest.newBuilder()
                                        .setUserGuid(user.toString())
                                        .setFileGuid(file.getFileGuid())
                                        .build())
                                .next()));
        assertEquals(Status.Code.UNAUTHENTICATED, download.getStatus().getCode(), download.toString());
        assertEquals(
                1,
                guarded.blocking().getAllFilesPaginated(listOf(user)).getItemsCount(),
                "the refused upload must have stored nothing");
    }

    @Test
    void withoutATokenConfiguredCallsWorkWithAndWithoutCredentials() throws InterruptedException {
        try (RunningFileService open = RunningFileService.start(root.resolve("open"))) {
            UUID user = UUID.randomUUID();
            assertEquals(0, open.blocking().getAllFilesPaginated(listOf(user)).getItemsCount());
            Metadata headers = new Metadata();
            headers.put(BearerToken.AUTHORIZATION, "Bearer anything");
            assertEquals(
                    0,
                    FileServiceInterfaceGrpc.newBlockingStub(open.channel)
                            .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                            .withDeadlineAfter(10, TimeUnit.SECONDS)
                            .getAllFilesPaginated(listOf(user))
                            .getItemsCount());
        }
    }

    // ---- configuring the token ----------------------------------------------------------------

    @Test
    void noTokenSetMeansNone() {
        assertTrue(BearerToken.configured(null, null).isEmpty());
        assertTrue(BearerToken.configured(" ", "").isEmpty());
    }

    @Test
    void aTokenFileIsReadWithoutItsTrailingNewline(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        BearerToken fromFile = BearerToken.configured(null, file.toString()).orElseThrow();
        assertEquals("BearerToken[redacted]", fromFile.toString());
        try (RunningFileService service = RunningFileService.start(
                FileServiceServer.Settings.of(0, RunningFileService.migratedH2(), dir.resolve("files"))
                        .withToken(Optional.of(fromFile)),
                client -> client.withToken(BearerToken.configured(TOKEN, null)))) {
            assertEquals(
                    0,
                    service.blocking()
                            .getAllFilesPaginated(listOf(UUID.randomUUID()))
                            .getItemsCount());
        }
    }

    @Test
    void aBadTokenSettingIsAStartErrorNamingTheSetting(@TempDir Path dir) {
        IllegalArgumentException both = assertThrows(
                IllegalArgumentException.class,
                () -> BearerToken.configured(TOKEN, dir.resolve("token").toString()));
        assertTrue(both.getMessage().contains("not both"), both.getMessage());

        UncheckedIOException unreadable = assertThrows(
                UncheckedIOException.class,
                () -> BearerToken.configured(null, dir.resolve("missing").toString()));
        assertTrue(
                unreadable.getMessage().contains(dir.resolve("missing").toString())
                        && unreadable.getMessage().contains("FILES_SERVICE_TOKEN_FILE"),
                unreadable.getMessage());

        IllegalArgumentException spaced =
                assertThrows(IllegalArgumentException.class, () -> BearerToken.configured("two words", null));
        assertTrue(spaced.getMessage().contains("printable ASCII without spaces"), spaced.getMessage());
        assertFalse(spaced.getMessage().contains("two words"), "the message must not quote the token");
        assertThrows(IllegalArgumentException.class, () -> BearerToken.configured("caf\u00e9", null));
    }

    @Test
    void anEmptyTokenFileIsAStartError(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "\n");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BearerToken.configured(null, file.toString()));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void refusedCallsLeaveTheFilesAlone() {
        UUID user = UUID.randomUUID();
        byte[] data = {1, 2, 3};
        FileDto file = guarded.blocking()
                .uploadFile(UploadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileName("keep.bin")
                        .setFileData(ByteString.copyFrom(data))
                        .build())
                .getFile();
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> withAuthorization(
                        "Bearer nope",
                        channel -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(10, TimeUnit.SECONDS)
                                .removeFile(RemoveFileRequest.newBuilder()
                                        .setUserGuid(user.toString())
                                        .setFileGuid(file.getFileGuid())
                                        .build())));
        assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        assertArrayEquals(
                data,
                guarded.blocking()
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(file.getFileGuid())
                                .build())
                        .getFileData()
                        .toByteArray());
    }
}
