package org.aipipeline.runner.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
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
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The runner's only way to the File Service: each operation on the {@link FileServiceConnection}
 * under MicroProfile Fault Tolerance. Outcomes arrive as {@link RunnerException} kinds
 * ({@link FileServiceStatus}). Only reads are retried. The circuit breaker counts only
 * Unavailable and timeouts; once open, calls fail at once with Unavailable instead of waiting out
 * deadlines. Works with the original File Service too: small uploads and downloads that the
 * streaming rpcs cannot serve fall back to the unary rpcs. Called on its CDI proxy only (a call
 * on {@code this} would skip the interceptors).
 */
@ApplicationScoped
@Timeout(value = 15, unit = ChronoUnit.SECONDS) // a backstop above files.service.deadline
@CircuitBreaker(
        requestVolumeThreshold = 4,
        failureRatio = 0.5,
        delay = 5,
        delayUnit = ChronoUnit.SECONDS,
        successThreshold = 1,
        failOn = {RunnerException.Unavailable.class, TimeoutException.class})
public class FileServiceClient {

    @Inject
    FileServiceConnection connection;

    protected FileServiceClient() {
        // for CDI
    }

    /** A client outside CDI (tests, tools): no Fault Tolerance, the same wire behaviour. */
    public static FileServiceClient over(FileServiceConnection connection) {
        FileServiceClient client = new FileServiceClient();
        client.connection = connection;
        return client;
    }

    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(
            fallbackMethod = "listUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public Page<StoredFile> list(UUID userId, Optional<FileStorageScope> scope, PageRequest page) {
        GetAllFilesRequest.Builder request = GetAllFilesRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setPageNumber(page.pageNumber())
                .setPageSize(page.pageSize());
        scope.ifPresent(s -> request.setStorageScopeFilter(FileServiceWire.toWire(s)));
        return FileServiceWire.toPage(connection.call(() -> connection.stub().getAllFilesPaginated(request.build())));
    }

    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(
            fallbackMethod = "getUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public StoredFile get(UUID userId, UUID fileId) {
        return FileServiceWire.toStoredFile(connection
                .call(() -> connection
                        .stub()
                        .getFileById(GetFileByIdRequest.newBuilder()
                                .setUserGuid(userId.toString())
                                .setFileGuid(fileId.toString())
                                .build()))
                .getFile());
    }

    /** The caller's files among {@code fileIds}, in that order; NotFound if some are missing and {@code failIfNotAllFound}. */
    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(
            fallbackMethod = "getManyUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public List<StoredFile> getMany(UUID userId, Collection<UUID> fileIds, boolean failIfNotAllFound) {
        GetFilesByIdsRequest request = GetFilesByIdsRequest.newBuilder()
                .setUserGuid(userId.toString())
                .addAllFileGuids(fileIds.stream().map(UUID::toString).toList())
                .setFailIfNotAllFound(failIfNotAllFound)
                .build();
        return connection.call(() -> connection.stub().getFilesByIds(request)).getItemsList().stream()
                .map(FileServiceWire::toStoredFile)
                .toList();
    }

    /**
     * Stores a file read from {@code data}, which is consumed but not closed, in one message or
     * streamed ({@link FileServiceUpload}). {@code sizeHint} is the expected size or -1 if unknown.
     */
    @Timeout(value = 10, unit = ChronoUnit.MINUTES) // a backstop above files.service.transfer-deadline
    @Fallback(
            fallbackMethod = "uploadUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
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
        return FileServiceUpload.send(connection, header.build(), data, sizeHint);
    }

    /**
     * Opens a download: metadata now, bytes as the caller writes them out. Only the opening is
     * covered by Fault Tolerance; the transfer itself has {@code files.service.transfer-deadline}.
     */
    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(
            fallbackMethod = "downloadUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public FileDownload download(UUID userId, UUID fileId) {
        DownloadFileRequest request = DownloadFileRequest.newBuilder()
                .setUserGuid(userId.toString())
                .setFileGuid(fileId.toString())
                .build();
        // Within this call's policy already, so get's own is not needed (and would not apply on this).
        return FileServiceDownload.open(connection, request)
                .orElseGet(() -> FileServiceDownload.unary(connection, get(userId, fileId), request));
    }

    /** Not retried: a lost answer to a delete that worked would turn into a false NotFound. */
    @Fallback(
            fallbackMethod = "deleteUnavailable",
            applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public void delete(UUID userId, UUID fileId) {
        connection.call(() -> connection
                .stub()
                .removeFile(RemoveFileRequest.newBuilder()
                        .setUserGuid(userId.toString())
                        .setFileGuid(fileId.toString())
                        .build()));
    }

    // Fallbacks: Fault Tolerance's own refusals (circuit open, timeout) become the 503 kind.
    Page<StoredFile> listUnavailable(UUID userId, Optional<FileStorageScope> scope, PageRequest page) {
        throw unavailable();
    }

    StoredFile getUnavailable(UUID userId, UUID fileId) {
        throw unavailable();
    }

    List<StoredFile> getManyUnavailable(UUID userId, Collection<UUID> fileIds, boolean failIfNotAllFound) {
        throw unavailable();
    }

    StoredFile uploadUnavailable(
            UUID userId,
            String fileName,
            String contentType,
            FileStorageScope scope,
            Optional<UUID> id,
            InputStream data,
            long sizeHint) {
        throw unavailable();
    }

    FileDownload downloadUnavailable(UUID userId, UUID fileId) {
        throw unavailable();
    }

    void deleteUnavailable(UUID userId, UUID fileId) {
        throw unavailable();
    }

    private static RunnerException unavailable() {
        return new RunnerException.Unavailable("The File Service is unavailable; try again shortly");
    }
}
