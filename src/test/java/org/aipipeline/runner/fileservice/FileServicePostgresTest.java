package org.aipipeline.runner.fileservice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.proto.files.GetFilesByIdsRequest;
import org.aipipeline.runner.proto.files.StorageScope;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.aipipeline.runner.testing.ScratchSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The same service on PostgreSQL, the production database: the migration and every query must
 * run there as on H2. Uses a throw-away schema of the integration-test database, so the shared
 * public schema's migration history is never touched; skipped when PostgreSQL is not running.
 */
class FileServicePostgresTest {

    @TempDir
    static Path root;

    static ScratchSchema scratch;
    static PGSimpleDataSource dataSource;
    static RunningFileService service;

    @BeforeAll
    static void start() {
        scratch = ScratchSchema.migrated("fileservice_test");
        dataSource = scratch.dataSource();
        service = RunningFileService.start(root, dataSource);
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (scratch != null) {
            scratch.close();
        }
    }

    private static FileDto upload(UUID user, StorageScope scope) {
        return service.blocking()
                .uploadFile(UploadFileRequest.newBuilder()
                        .setUserGuid(user.toString())
                        .setFileName("f.txt")
                        .setStorageScope(scope)
                        .setFileData(ByteString.copyFromUtf8("hello"))
                        .build())
                .getFile();
    }

    @Test
    void storesListsFindsAndSweepsOnPostgres() {
        UUID user = UUID.randomUUID();
        FileDto temporary = upload(user, StorageScope.TEMPORARY);
        FileDto longTerm = upload(user, StorageScope.LONG_TERM);

        assertEquals(
                longTerm,
                service.blocking()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(longTerm.getFileGuid())
                                .build())
                        .getFile());
        assertEquals(
                List.of(longTerm, temporary),
                service.blocking()
                        .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setPageNumber(1)
                                .setPageSize(10)
                                .build())
                        .getItemsList());
        assertEquals(
                List.of(temporary),
                service.blocking()
                        .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setStorageScopeFilter(StorageScope.TEMPORARY)
                                .build())
                        .getItemsList());
        assertEquals(
                List.of(temporary, longTerm),
                service.blocking()
                        .getFilesByIds(GetFilesByIdsRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .addFileGuids(temporary.getFileGuid())
                                .addFileGuids(longTerm.getFileGuid())
                                .build())
                        .getItemsList());
        Instant.parse(longTerm.getCreatedAt());

        StatusRuntimeException duplicate = assertThrows(
                StatusRuntimeException.class,
                () -> service.blocking()
                        .uploadFile(UploadFileRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .setFileGuid(longTerm.getFileGuid())
                                .build()));
        assertEquals(Status.Code.ALREADY_EXISTS, duplicate.getStatus().getCode());

        service.server.sweep().sweep(Instant.now().plus(Duration.ofDays(2)));
        assertEquals(
                List.of(longTerm),
                service.blocking()
                        .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                                .setUserGuid(user.toString())
                                .build())
                        .getItemsList());
    }
}
