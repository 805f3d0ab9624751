package org.aipipeline.runner.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.proto.files.GetFilesByIdsRequest;
import org.aipipeline.runner.proto.files.RemoveFileRequest;
import org.aipipeline.runner.proto.files.UploadFileHeader;

/**
 * The runner's only way to the File Service: each operation on the {@link FileServiceConnection}
 * as a read, write or transfer of the {@link FileServicePolicy} (Fault Tolerance). Outcomes arrive
 * as {@link RunnerException} kinds ({@link FileServiceStatus}). Works with the original File
 * Service too: small uploads and downloads that the streaming rpcs cannot serve fall back to the
 * unary rpcs.
 */
@ApplicationScoped
public class FileServiceClient {

    @Inject
    FileServiceConnection connection;

    @Inject
    FileServicePolicy policy;

    protected FileServiceClient() {
        // for CDI
    }

    /** A client outside CDI (tests, tools): no Fault Tolerance, the same wire behaviour. */
    public static FileServiceClient over(FileServiceConnection connection) {
        FileServiceClient client = new FileServiceClient();
        client.connection = connection;
        client.policy = FileServicePolicy.none();
        return client;
    }

    public Page<StoredFile> list(UUID userId, Optional<FileStorageScope> scope, PageRequest page) {
        GetAllFilesRequest.Builder request = GetAllFilesRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setPageNumber(page.pageNumber())
                .setPageSize(page.pageSize());
        scope.ifPresent(s -> request.setStorageScopeFilter(FileServiceWire.toWire(s)));
        return read(() ->
                FileServiceWire.toPage(connection.call(() -> connection.stub().getAllFilesPaginated(request.build()))));
    }

    public StoredFile get(UUID userId, UUID fileId) {
        return read(() -> fetch(userId, fileId));
    }

    private StoredFile fetch(UUID userId, UUID fileId) {
        GetFileByIdRequest request = GetFileByIdRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setFileGuid(fileId.toString())
                .build();
        return FileServiceWire.toStoredFile(
                connection.call(() -> connection.stub().getFileById(request)).getFile());
    }

    /** The caller's files among {@code fileIds}, in that order; NotFound if some are missing and {@code failIfNotAllFound}. */
    public List<StoredFile> getMany(UUID userId, Collection<UUID> fileIds, boolean failIfNotAllFound) {
        GetFilesByIdsRequest request = GetFilesByIdsRequest.newBuilder()
                .setUserGuid(userId.toString())
                .addAllFileGuids(fileIds.stream().map(UUID::toString).toList())
                .setFailIfNotAllFound(failIfNotAllFound)
                .build();
        return read(() -> connection.call(() -> connection.stub().getFilesByIds(request)).getItemsList().stream()
                .map(FileServiceWire::toStoredFile)
                .toList());
    }

    /**
     * Stores a file read from {@code data}, which is consumed but not closed, in one message or
     * streamed ({@link FileServiceUpload}). {@code sizeHint} is the expected size or -1 if unknown.
     */
    public StoredFile upload(
            UUID userId,
            String fileName,
            String contentType,
            FileStorageScope scope,
            Optional<UUID> id,
            InputStream data,
            long sizeHint) {
        UploadFileHeader.Builder header = UploadFileHeader.newBuilder()
                .setUserGuid(userId.toString())
                .setFileName(fileName == null ? "" : fileName)
                .setContentType(contentType == null ? "" : contentType)
                .setStorageScope(FileServiceWire.toWire(scope));
        id.ifPresent(value -> header.setFileGuid(value.toString()));
        return transfer(() -> FileServiceUpload.send(connection, header.build(), data, sizeHint));
    }

    /**
     * Opens a download: metadata now, bytes as the caller writes them out. Only the opening is
     * under the policy; the transfer itself has {@code files.service.transfer-deadline}.
     */
    public FileDownload download(UUID userId, UUID fileId) {
        DownloadFileRequest request = DownloadFileRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setFileGuid(fileId.toString())
                .build();
        return read(() -> FileServiceDownload.open(connection, request)
                .orElseGet(() -> FileServiceDownload.unary(connection, fetch(userId, fileId), request)));
    }

    public void delete(UUID userId, UUID fileId) {
        RemoveFileRequest request = RemoveFileRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setFileGuid(fileId.toString())
                .build();
        write(() -> connection.call(() -> connection.stub().removeFile(request)));
    }

    // The policy's kinds of call, with its refusals as the Unavailable kind.
    private <T> T read(Supplier<T> call) {
        return FileServicePolicy.refusalsAsUnavailable(() -> policy.read(call));
    }

    private <T> T write(Supplier<T> call) {
        return FileServicePolicy.refusalsAsUnavailable(() -> policy.write(call));
    }

    private <T> T transfer(Supplier<T> call) {
        return FileServicePolicy.refusalsAsUnavailable(() -> policy.transfer(call));
    }
}
