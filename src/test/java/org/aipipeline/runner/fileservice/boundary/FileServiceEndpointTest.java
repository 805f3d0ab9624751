package org.aipipeline.runner.fileservice.boundary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.aipipeline.runner.fileservice.RunningFileService;
import org.aipipeline.runner.fileservice.Streams;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetAllFilesResponse;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.proto.files.GetFilesByIdsRequest;
import org.aipipeline.runner.proto.files.RemoveFileRequest;
import org.aipipeline.runner.proto.files.StorageScope;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The File Service over the real wire: generated stubs against a server on H2 and a temp directory. */
class FileServiceEndpointTest {

    @TempDir
    static Path root;

    static RunningFileService service;

    @BeforeAll
    static void start() {
        service = RunningFileService.start(root);
    }

    @AfterAll
    static void stop() throws InterruptedException {
        service.close();
    }

    private static FileDto upload(UUID user, String name, StorageScope scope, byte[] data) {
        return service.blocking()
                .uploadFile(UploadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileName(name)
                        .setContentType("application/octet-stream")
                        .setStorageScope(scope)
                        .setFileData(ByteString.copyFrom(data))
                        .build())
                .getFile();
    }

    private static byte[] binary(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) i; // every byte value, including 0x00 and 0xFF
        }
        return data;
    }

    private static Status.Code codeOf(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    @Test
    void uploadStoresBytesAndMetadataAtTheSpecPath() throws IOException {
        UUID user = UUID.randomUUID();
        FileDto file = upload(user, "report.PDF", StorageScope.SHORT_TERM, binary(1000));

        assertEquals(user.toString(), file.getUserGuid());
        assertEquals(StorageScope.SHORT_TERM, file.getFileStorageScope());
        assertEquals("filesystem", file.getStorageProvider());
        assertEquals("short-term-files/" + file.getFileGuid() + ".pdf", file.getPath());
        assertEquals("report.PDF", file.getFileName());
        assertEquals(1000, file.getSizeBytes());
        Instant.parse(file.getCreatedAt());
        assertArrayEquals(binary(1000), Files.readAllBytes(root.resolve(file.getPath())));

        FileDto fetched = service.blocking()
                .getFileById(GetFileByIdRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileGuid(file.getFileGuid())
                        .build())
                .getFile();
        assertEquals(file, fetched);
    }

    @Test
    void uploadKeepsAGivenIdAndDefaultsScopeAndContentType() {
        UUID user = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        FileDto file = service.blocking()
                .uploadFile(UploadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileGuid(id.toString())
                        .setFileName("../../etc/passwd")
                        .setFileData(ByteString.copyFromUtf8("x"))
                        .build())
                .getFile();

        assertEquals(id.toString(), file.getFileGuid());
        assertEquals(StorageScope.LONG_TERM, file.getFileStorageScope());
        assertEquals("application/octet-stream", file.getContentType());
        assertEquals("passwd", file.getFileName());
        assertEquals("long-term-files/" + id, file.getPath());
    }

    @Test
    void unaryDownloadIsByteExactForBinaryContent() {
        UUID user = UUID.randomUUID();
        byte[] data = binary(300_000);
        FileDto file = upload(user, "blob.bin", StorageScope.LONG_TERM, data);

        var download = service.blocking()
                .downloadFile(DownloadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileGuid(file.getFileGuid())
                        .build());

        assertArrayEquals(data, download.getFileData().toByteArray());
        assertEquals("application/octet-stream", download.getContentType());
    }

    @Test
    void streamingUploadAndDownloadOf20MiBAreByteExact() throws Exception {
        UUID user = UUID.randomUUID();
        long size = 20L * 1024 * 1024 + 123;
        String expected = Streams.sha256(Streams.content(42, size));

        FileDto file = Streams.upload(
                        service.async(),
                        UploadFileHeader.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileName("big.bin")
                                .setContentType("application/x-test")
                                .setStorageScope(StorageScope.TEMPORARY)
                                .build(),
                        Streams.content(42, size))
                .getFile();
        assertEquals(size, file.getSizeBytes());

        Iterator<DownloadFileChunk> chunks = service.blocking()
                .downloadFileStream(DownloadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileGuid(file.getFileGuid())
                        .build());
        DownloadFileChunk header = chunks.next();
        assertEquals("application/x-test", header.getFile().getContentType());
        assertEquals(size, header.getFile().getSizeBytes());
        assertEquals(expected, Streams.sha256(Streams.afterHeader(chunks)));
    }

    @Test
    void emptyFilesRoundTripUnaryAndStreamed() throws Exception {
        UUID user = UUID.randomUUID();
        FileDto unary = upload(user, "empty.txt", StorageScope.LONG_TERM, new byte[0]);
        FileDto streamed = Streams.upload(
                        service.async(),
                        UploadFileHeader.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileName("empty2.txt")
                                .build(),
                        List.<ByteString>of().iterator())
                .getFile();

        for (FileDto file : List.of(unary, streamed)) {
            assertEquals(0, file.getSizeBytes());
            DownloadFileRequest request = DownloadFileRequest.newBuilder()
                    .setUserGuid(user.toString())
                    .setFileGuid(file.getFileGuid())
                    .build();
            assertTrue(service.blocking().downloadFile(request).getFileData().isEmpty());
            Iterator<DownloadFileChunk> chunks = service.blocking().downloadFileStream(request);
            assertFalse(Streams.data(chunks).hasNext());
        }
    }

    @Test
    void listPaginatesNewestFirstAndFiltersByScope() {
        UUID user = UUID.randomUUID();
        List<FileDto> uploaded = IntStream.range(0, 5)
                .mapToObj(i -> upload(
                        user,
                        "f" + i + ".txt",
                        i % 2 == 0 ? StorageScope.LONG_TERM : StorageScope.TEMPORARY,
                        new byte[] {(byte) i}))
                .toList();
        upload(UUID.randomUUID(), "someone-else.txt", StorageScope.LONG_TERM, new byte[1]);

        GetAllFilesResponse first = list(user, 1, 2, null);
        GetAllFilesResponse third = list(user, 3, 2, null);
        assertEquals(List.of(uploaded.get(4), uploaded.get(3)), first.getItemsList());
        assertEquals(List.of(uploaded.get(0)), third.getItemsList());
        assertEquals(5, first.getPagination().getTotalCount());
        assertEquals(3, first.getPagination().getTotalPages());
        assertFalse(first.getPagination().getHasPreviousPage());
        assertTrue(first.getPagination().getHasNextPage());
        assertTrue(third.getPagination().getHasPreviousPage());
        assertFalse(third.getPagination().getHasNextPage());
        assertEquals(user.toString(), first.getUserGuid());

        GetAllFilesResponse temporary = list(user, 1, 10, StorageScope.TEMPORARY);
        assertEquals(List.of(uploaded.get(3), uploaded.get(1)), temporary.getItemsList());
        assertEquals(2, temporary.getPagination().getTotalCount());

        GetAllFilesResponse beyond = list(user, 9, 10, null);
        assertTrue(beyond.getItemsList().isEmpty());
        assertEquals(5, beyond.getPagination().getTotalCount());

        GetAllFilesResponse defaults = list(user, 0, 0, null);
        assertEquals(1, defaults.getPagination().getPageNumber());
        assertEquals(20, defaults.getPagination().getPageSize());
    }

    @Test
    void outOfRangePagingIsInvalidArgument() {
        UUID user = UUID.randomUUID();
        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> list(user, -1, 10, null)));
        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> list(user, 1, 101, null)));
        assertEquals(Status.Code.INVALID_ARGUMENT, codeOf(() -> list(user, 1, -5, null)));
    }

    private static GetAllFilesResponse list(UUID user, int page, int size, StorageScope scope) {
        GetAllFilesRequest.Builder request = GetAllFilesRequest.newBuilder()
                .setUserGuid(user.toString())
                .setPageNumber(page)
                .setPageSize(size);
        if (scope != null) {
            request.setStorageScopeFilter(scope);
        }
        return service.blocking().getAllFilesPaginated(request.build());
    }

    @Test
    void getFilesByIdsReturnsOnlyTheCallersFilesAndCanInsistOnAll() {
        UUID user = UUID.randomUUID();
        FileDto a = upload(user, "a", StorageScope.LONG_TERM, new byte[1]);
        FileDto b = upload(user, "b", StorageScope.LONG_TERM, new byte[1]);
        FileDto foreign = upload(UUID.randomUUID(), "c", StorageScope.LONG_TERM, new byte[1]);
        GetFilesByIdsRequest.Builder request = GetFilesByIdsRequest.newBuilder()
                .setUserGuid(user.toString())
                .addFileGuids(b.getFileGuid())
                .addFileGuids(foreign.getFileGuid())
                .addFileGuids(a.getFileGuid());

        assertEquals(
                List.of(b, a), service.blocking().getFilesByIds(request.build()).getItemsList());
        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .getFilesByIds(request.setFailIfNotAllFound(true).build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                codeOf(() -> service.blocking()
                        .getFilesByIds(request.addFileGuids("nope").build())));
    }

    @Test
    void anotherUsersFileIsNotFoundEverywhere() {
        UUID owner = UUID.randomUUID();
        String intruder = UUID.randomUUID().toString();
        FileDto file = upload(owner, "secret.txt", StorageScope.LONG_TERM, new byte[] {1, 2, 3});
        String id = file.getFileGuid();

        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(intruder)
                                .setFileGuid(id)
                                .build())));
        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .downloadFile(DownloadFileRequest.newBuilder()
                                .setUserGuid(intruder)
                                .setFileGuid(id)
                                .build())));
        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .downloadFileStream(DownloadFileRequest.newBuilder()
                                .setUserGuid(intruder)
                                .setFileGuid(id)
                                .build())
                        .next()));
        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .removeFile(RemoveFileRequest.newBuilder()
                                .setUserGuid(intruder)
                                .setFileGuid(id)
                                .build())));
        assertTrue(list(UUID.fromString(intruder), 1, 10, null).getItemsList().isEmpty());
        // Still there for its owner.
        assertEquals(
                file,
                service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(owner.toString())
                                .setFileGuid(id)
                                .build())
                        .getFile());
    }

    @Test
    void badUuidsAreInvalidArgument() {
        String user = UUID.randomUUID().toString();
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                codeOf(() -> service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(user)
                                .setFileGuid("not-a-uuid")
                                .build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                codeOf(() -> service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid("")
                                .setFileGuid(UUID.randomUUID().toString())
                                .build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                codeOf(() -> service.blocking()
                        .uploadFile(UploadFileRequest.newBuilder()
                                .setUserGuid(user)
                                .setFileGuid("1-2-3-4-5")
                                .build())));
        assertEquals(
                Status.Code.INVALID_ARGUMENT,
                codeOf(() -> service.blocking()
                        .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                .setUserGuid("{" + user + "}")
                                .build())));
    }

    @Test
    void aTakenFileGuidIsAlreadyExistsAndLeavesTheOriginalIntact() throws Exception {
        UUID user = UUID.randomUUID();
        FileDto original = upload(user, "one.txt", StorageScope.LONG_TERM, new byte[] {1});
        UploadFileRequest again = UploadFileRequest.newBuilder()
                .setUserGuid(UUID.randomUUID().toString())
                .setFileGuid(original.getFileGuid())
                .setFileName("one.txt")
                .setFileData(ByteString.copyFromUtf8("other"))
                .build();

        assertEquals(Status.Code.ALREADY_EXISTS, codeOf(() -> service.blocking().uploadFile(again)));
        StatusRuntimeException streamed = assertThrows(
                StatusRuntimeException.class,
                () -> Streams.upload(
                        service.async(),
                        UploadFileHeader.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(original.getFileGuid())
                                .build(),
                        Streams.content(1, 1_000_000)));
        assertEquals(Status.Code.ALREADY_EXISTS, streamed.getStatus().getCode());
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(root.resolve(original.getPath())));
    }

    @Test
    void anUploadWithoutHeaderIsRefusedAndLeavesNothingBehind() throws Exception {
        long before = storedFiles();
        var iterator = Streams.content(3, 10);
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> Streams.upload(
                        service.async(),
                        UploadFileHeader.newBuilder().setUserGuid("bad").build(),
                        iterator));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals(before, storedFiles());
    }

    private static long storedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void removeDeletesBytesAndMetadata() {
        UUID user = UUID.randomUUID();
        FileDto file = upload(user, "gone.txt", StorageScope.LONG_TERM, new byte[] {9});
        RemoveFileRequest remove = RemoveFileRequest.newBuilder()
                .setUserGuid(user.toString())
                .setFileGuid(file.getFileGuid())
                .build();

        assertTrue(service.blocking().removeFile(remove).getSuccess());

        assertFalse(Files.exists(root.resolve(file.getPath())));
        assertEquals(
                Status.Code.NOT_FOUND,
                codeOf(() -> service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(file.getFileGuid())
                                .build())));
        assertEquals(Status.Code.NOT_FOUND, codeOf(() -> service.blocking().removeFile(remove)));
    }

    @Test
    void expirySweepDeletesTemporaryAfterADayAndShortTermAfterThirtyDays() {
        UUID user = UUID.randomUUID();
        FileDto temporary = upload(user, "t", StorageScope.TEMPORARY, new byte[1]);
        FileDto shortTerm = upload(user, "s", StorageScope.SHORT_TERM, new byte[1]);
        FileDto longTerm = upload(user, "l", StorageScope.LONG_TERM, new byte[1]);
        Instant now = Instant.now();

        assertEquals(0, service.server.sweep().sweep(now.plus(Duration.ofHours(23))));
        assertTrue(service.server.sweep().sweep(now.plus(Duration.ofHours(25))) >= 1);
        assertEquals(List.of(longTerm, shortTerm), list(user, 1, 10, null).getItemsList());
        assertFalse(Files.exists(root.resolve(temporary.getPath())));

        service.server.sweep().sweep(now.plus(Duration.ofDays(31)));
        assertEquals(List.of(longTerm), list(user, 1, 10, null).getItemsList());
        assertFalse(Files.exists(root.resolve(shortTerm.getPath())));
        assertTrue(Files.exists(root.resolve(longTerm.getPath())));
    }
}
