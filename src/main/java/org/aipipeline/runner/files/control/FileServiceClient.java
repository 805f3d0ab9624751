package org.aipipeline.runner.files.control;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.platform.entity.Pagination;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.aipipeline.runner.proto.files.GetAllFilesResponse;
import org.aipipeline.runner.proto.files.GetFileByIdRequest;
import org.aipipeline.runner.proto.files.GetFilesByIdsRequest;
import org.aipipeline.runner.proto.files.RemoveFileRequest;
import org.aipipeline.runner.proto.files.StorageScope;
import org.aipipeline.runner.proto.files.UploadFileChunk;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.aipipeline.runner.proto.files.UploadFileResponse;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Fallback;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The runner's only way to the File Service, embedded or external: one channel, a deadline on
 * every call, and MicroProfile Fault Tolerance around it. Outcomes arrive as
 * {@link RunnerException} kinds: NOT_FOUND is NotFound, INVALID_ARGUMENT BadInput,
 * ALREADY_EXISTS Conflict, RESOURCE_EXHAUSTED TooLarge, and an unreachable, slow or failing
 * service is Unavailable (503). Only reads are retried. The circuit breaker counts only
 * Unavailable and timeouts; once open, calls fail at once with Unavailable instead of waiting
 * out deadlines. Works with the original File Service too: small uploads and downloads that
 * the streaming rpcs cannot serve fall back to the unary rpcs.
 */
@ApplicationScoped
@Timeout(value = 15, unit = ChronoUnit.SECONDS)  // a backstop above files.service.deadline
@CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 5, delayUnit = ChronoUnit.SECONDS,
        successThreshold = 1, failOn = {RunnerException.Unavailable.class, TimeoutException.class})
public class FileServiceClient {

    private static final System.Logger LOG = System.getLogger(FileServiceClient.class.getName());

    /** Files up to this size go in one unary message, which every File Service understands. */
    static final int UNARY_LIMIT = 1024 * 1024;
    static final int CHUNK_SIZE = 64 * 1024;
    private static final int DELETE_PAGE = 100;

    @Inject
    @ConfigProperty(name = "files.service.deadline")
    Duration deadline;

    @Inject
    @ConfigProperty(name = "files.service.transfer-deadline")
    Duration transferDeadline;

    @Inject
    @ConfigProperty(name = "files.service.max-message-size")
    int maxMessageBytes;

    @Inject
    Instance<FileServiceChannel> fileService;

    private ManagedChannel channel;

    protected FileServiceClient() {
        // for CDI
    }

    /** A client outside CDI (tests, tools): no Fault Tolerance, the same wire behaviour. */
    public static FileServiceClient connectedTo(FileServiceChannel channel, Duration deadline, Duration transferDeadline) {
        FileServiceClient client = new FileServiceClient();
        client.deadline = deadline;
        client.transferDeadline = transferDeadline;
        client.maxMessageBytes = 256 * 1024 * 1024;
        client.connect(channel);
        return client;
    }

    /** The same, plaintext and without a token. */
    public static FileServiceClient connectedTo(String target, Duration deadline, Duration transferDeadline) {
        return connectedTo(FileServiceChannel.plaintext(target), deadline, transferDeadline);
    }

    @PostConstruct
    void connect() {
        connect(fileService.get());
    }

    private void connect(FileServiceChannel to) {
        // Plaintext without a token unless configured (files.service.token, files.service.tls.*):
        // what the original platform's File Service and nodes speak.
        channel = to.open(maxMessageBytes);
        LOG.log(Level.INFO, "File Service client for {0}", to);
    }

    @PreDestroy
    public void close() {
        channel.shutdownNow();
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(fallbackMethod = "listUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public Page<StoredFile> list(UUID userId, Optional<FileStorageScope> scope, PageRequest page) {
        GetAllFilesRequest.Builder request = GetAllFilesRequest.newBuilder().setUserGuid(userId.toString())
                .setPageNumber(page.pageNumber()).setPageSize(page.pageSize());
        scope.ifPresent(s -> request.setStorageScopeFilter(toWire(s)));
        GetAllFilesResponse response = call(() -> stub().getAllFilesPaginated(request.build()));
        var p = response.getPagination();
        return new Page<>(response.getItemsList().stream().map(FileServiceClient::toStoredFile).toList(),
                new Pagination(p.getPageNumber(), p.getPageSize(), p.getTotalPages(), p.getTotalCount(),
                        p.getHasPreviousPage(), p.getHasNextPage()));
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(fallbackMethod = "getUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public StoredFile get(UUID userId, UUID fileId) {
        return toStoredFile(call(() -> stub().getFileById(GetFileByIdRequest.newBuilder()
                .setUserGuid(userId.toString()).setFileGuid(fileId.toString()).build())).getFile());
    }

    /** The caller's files among {@code fileIds}, in that order; NotFound if some are missing and {@code failIfNotAllFound}. */
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(fallbackMethod = "getManyUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public List<StoredFile> getMany(UUID userId, Collection<UUID> fileIds, boolean failIfNotAllFound) {
        GetFilesByIdsRequest request = GetFilesByIdsRequest.newBuilder().setUserGuid(userId.toString())
                .addAllFileGuids(fileIds.stream().map(UUID::toString).toList())
                .setFailIfNotAllFound(failIfNotAllFound).build();
        return call(() -> stub().getFilesByIds(request)).getItemsList().stream().map(FileServiceClient::toStoredFile).toList();
    }

    /**
     * Stores a file read from {@code data}, which is consumed but not closed. Up to
     * {@link #UNARY_LIMIT} bytes go in one message, more are streamed in chunks with flow
     * control, so memory stays bounded. {@code sizeHint} is the expected size or -1 if unknown:
     * a hint above the unary limit skips looking ahead.
     */
    @Timeout(value = 10, unit = ChronoUnit.MINUTES)  // a backstop above files.service.transfer-deadline
    @Fallback(fallbackMethod = "uploadUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public StoredFile upload(UUID userId, String fileName, String contentType, FileStorageScope scope, Optional<UUID> id,
                             InputStream data, long sizeHint) {
        UploadFileHeader.Builder header = UploadFileHeader.newBuilder().setUserGuid(userId.toString())
                .setFileName(fileName == null ? "" : fileName).setContentType(contentType == null ? "" : contentType)
                .setStorageScope(toWire(scope));
        id.ifPresent(value -> header.setFileGuid(value.toString()));
        InputStream rest = data;
        if (sizeHint <= UNARY_LIMIT) {
            byte[] head = read(data, UNARY_LIMIT + 1);
            if (head.length <= UNARY_LIMIT) {
                return uploadUnary(header.build(), head);
            }
            rest = new SequenceInputStream(new ByteArrayInputStream(head), data);
        }
        return new ChunkedUpload(header.build(), rest).send();
    }

    private StoredFile uploadUnary(UploadFileHeader header, byte[] bytes) {
        UploadFileRequest.Builder request = UploadFileRequest.newBuilder().setUserGuid(header.getUserGuid())
                .setFileName(header.getFileName()).setContentType(header.getContentType())
                .setStorageScope(header.getStorageScope()).setFileData(UnsafeByteOperations.unsafeWrap(bytes));
        if (header.hasFileGuid()) {
            request.setFileGuid(header.getFileGuid());
        }
        return toStoredFile(call(() -> stub().uploadFile(request.build())).getFile());
    }

    /**
     * Opens a download: metadata now, bytes as the caller writes them out. Only the opening is
     * covered by Fault Tolerance; the transfer itself has {@code files.service.transfer-deadline}.
     */
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    @Fallback(fallbackMethod = "downloadUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public FileDownload download(UUID userId, UUID fileId) {
        DownloadFileRequest request = DownloadFileRequest.newBuilder()
                .setUserGuid(userId.toString()).setFileGuid(fileId.toString()).build();
        Context.CancellableContext context = Context.current().withCancellation();
        Runnable cancel = () -> context.cancel(null);
        try {
            Iterator<DownloadFileChunk> chunks = context.call(() -> FileServiceInterfaceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(transferDeadline.toMillis(), TimeUnit.MILLISECONDS).downloadFileStream(request));
            DownloadFileChunk first = context.call(chunks::next);
            if (!first.hasFile()) {
                throw new RunnerException.Unavailable("The File Service sent a download without its metadata");
            }
            return new FileDownload(toStoredFile(first.getFile()), dataOf(chunks), cancel);
        } catch (StatusRuntimeException e) {
            cancel.run();
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return downloadUnary(userId, fileId, request);
            }
            throw translate(e);
        } catch (RuntimeException e) {
            cancel.run();
            throw e;
        } catch (Exception e) {
            cancel.run();
            throw new IllegalStateException(e);
        }
    }

    /** For a File Service without the streaming rpc (the original): one message, held in memory. */
    private FileDownload downloadUnary(UUID userId, UUID fileId, DownloadFileRequest request) {
        StoredFile file = get(userId, fileId);
        ByteString bytes = call(() -> stub().downloadFile(request)).getFileData();
        return new FileDownload(file, List.of(bytes).iterator(), () -> { });
    }

    private Iterator<ByteString> dataOf(Iterator<DownloadFileChunk> chunks) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return call(chunks::hasNext);
            }

            @Override
            public ByteString next() {
                return call(chunks::next).getData();
            }
        };
    }

    /** Not retried: a lost answer to a delete that worked would turn into a false NotFound. */
    @Fallback(fallbackMethod = "deleteUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public void delete(UUID userId, UUID fileId) {
        call(() -> stub().removeFile(RemoveFileRequest.newBuilder()
                .setUserGuid(userId.toString()).setFileGuid(fileId.toString()).build()));
    }

    /**
     * Deletes every file of a user (data and metadata), e.g. when the account goes; returns how
     * many. Uses only list and remove, so it works against any File Service.
     */
    @Timeout(value = 5, unit = ChronoUnit.MINUTES)
    @Fallback(fallbackMethod = "deleteAllOfUnavailable", applyOn = {CircuitBreakerOpenException.class, TimeoutException.class, BulkheadException.class})
    public int deleteAllOf(UUID userId) {
        int deleted = 0;
        while (true) {
            // Always page 1: what was deleted no longer counts, so the next files move up.
            List<FileDto> batch = call(() -> stub().getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                    .setUserGuid(userId.toString()).setPageNumber(1).setPageSize(DELETE_PAGE).build())).getItemsList();
            for (FileDto file : batch) {
                try {
                    delete(userId, UUID.fromString(file.getFileGuid()));
                    deleted++;
                } catch (RunnerException.NotFound gone) {
                    // Deleted meanwhile (another request, the sweep): just as good.
                }
            }
            if (batch.size() < DELETE_PAGE) {
                return deleted;
            }
        }
    }

    /** For the readiness check: one cheap call, outside Fault Tolerance so probes never trip the breaker. */
    public Optional<String> problem(Duration within) {
        try {
            FileServiceInterfaceGrpc.newBlockingStub(channel).withDeadlineAfter(within.toMillis(), TimeUnit.MILLISECONDS)
                    .getAllFilesPaginated(GetAllFilesRequest.newBuilder().setUserGuid(new UUID(0, 0).toString())
                            .setPageNumber(1).setPageSize(1).build());
            return Optional.empty();
        } catch (StatusRuntimeException e) {
            resetBackoffIfUnavailable(e.getStatus());
            return Optional.of(e.getStatus().getCode() + ": " + e.getStatus().getDescription());
        }
    }

    // Fallbacks: Fault Tolerance's own refusals (circuit open, timeout) become the 503 kind.
    Page<StoredFile> listUnavailable(UUID userId, Optional<FileStorageScope> scope, PageRequest page) { throw unavailable(); }
    StoredFile getUnavailable(UUID userId, UUID fileId) { throw unavailable(); }
    List<StoredFile> getManyUnavailable(UUID userId, Collection<UUID> fileIds, boolean failIfNotAllFound) { throw unavailable(); }
    StoredFile uploadUnavailable(UUID userId, String fileName, String contentType, FileStorageScope scope, Optional<UUID> id,
                                 InputStream data, long sizeHint) { throw unavailable(); }
    FileDownload downloadUnavailable(UUID userId, UUID fileId) { throw unavailable(); }
    void deleteUnavailable(UUID userId, UUID fileId) { throw unavailable(); }
    int deleteAllOfUnavailable(UUID userId) { throw unavailable(); }

    private static RunnerException unavailable() {
        return new RunnerException.Unavailable("The File Service is unavailable; try again shortly");
    }

    private FileServiceInterfaceGrpc.FileServiceInterfaceBlockingStub stub() {
        return FileServiceInterfaceGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
    }

    private interface GrpcCall<T> {
        T run();
    }

    private <T> T call(GrpcCall<T> call) {
        try {
            return call.run();
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    RunnerException translate(StatusRuntimeException e) {
        Status status = e.getStatus();
        String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> new RunnerException.NotFound(detail);
            case INVALID_ARGUMENT -> new RunnerException.BadInput(detail);
            case ALREADY_EXISTS -> new RunnerException.Conflict(detail);
            case RESOURCE_EXHAUSTED -> new RunnerException.TooLarge(detail);
            default -> {
                resetBackoffIfUnavailable(status);
                LOG.log(Level.WARNING, "File Service call failed: {0} {1}", status.getCode(), detail);
                yield new RunnerException.Unavailable("The File Service is unavailable (" + status.getCode() + ")");
            }
        };
    }

    /**
     * After a failed connection gRPC waits ever longer (up to minutes) before trying again; a
     * File Service that came back should be used at once, so the next call reconnects now.
     */
    private void resetBackoffIfUnavailable(Status status) {
        if (status.getCode() == Status.Code.UNAVAILABLE) {
            channel.resetConnectBackoff();
        }
    }

    private static byte[] read(InputStream data, int limit) {
        try {
            return data.readNBytes(limit);
        } catch (IOException e) {
            throw new RunnerException.BadInput("The upload could not be read: " + e.getMessage());
        }
    }

    static StoredFile toStoredFile(FileDto dto) {
        return new StoredFile(UUID.fromString(dto.getFileGuid()), UUID.fromString(dto.getUserGuid()),
                dto.getFileName(), fromWire(dto.getFileStorageScope()), dto.getContentType(), dto.getSizeBytes(),
                dto.getStorageProvider(), dto.getPath(), dto.getCreatedAt().isEmpty() ? null : Instant.parse(dto.getCreatedAt()));
    }

    static StorageScope toWire(FileStorageScope scope) {
        return switch (scope) {
            case LONG_TERM -> StorageScope.LONG_TERM;
            case SHORT_TERM -> StorageScope.SHORT_TERM;
            case TEMPORARY -> StorageScope.TEMPORARY;
        };
    }

    static FileStorageScope fromWire(StorageScope scope) {
        return switch (scope) {
            case SHORT_TERM -> FileStorageScope.SHORT_TERM;
            case TEMPORARY -> FileStorageScope.TEMPORARY;
            // The original service never stores "unspecified"; read anything else as the default.
            default -> FileStorageScope.LONG_TERM;
        };
    }

    /**
     * One streamed upload, sent from the calling thread: a chunk goes out only while the
     * transport is ready, otherwise the thread waits for the on-ready signal. So at most one
     * chunk plus the flow-control window is in memory, however large the file.
     */
    private final class ChunkedUpload implements ClientResponseObserver<UploadFileChunk, UploadFileResponse> {

        private final UploadFileHeader header;
        private final InputStream data;
        private final CompletableFuture<UploadFileResponse> result = new CompletableFuture<>();
        private final Object readiness = new Object();
        private ClientCallStreamObserver<UploadFileChunk> requests;

        ChunkedUpload(UploadFileHeader header, InputStream data) {
            this.header = header;
            this.data = data;
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<UploadFileChunk> requestStream) {
            this.requests = requestStream;
            requestStream.setOnReadyHandler(this::wake);
        }

        StoredFile send() {
            FileServiceInterfaceGrpc.newStub(channel)
                    .withDeadlineAfter(transferDeadline.toMillis(), TimeUnit.MILLISECONDS).uploadFileStream(this);
            try {
                sendWhenReady(UploadFileChunk.newBuilder().setHeader(header).build());
                byte[] buffer = new byte[CHUNK_SIZE];
                int read;
                while (!result.isDone() && (read = data.readNBytes(buffer, 0, CHUNK_SIZE)) > 0) {
                    sendWhenReady(UploadFileChunk.newBuilder().setData(ByteString.copyFrom(buffer, 0, read)).build());
                }
                if (!result.isDone()) {
                    requests.onCompleted();
                }
                return toStoredFile(result.get(transferDeadline.toMillis() + 1000, TimeUnit.MILLISECONDS).getFile());
            } catch (IOException e) {
                requests.cancel("the upload could not be read", e);
                throw new RunnerException.BadInput("The upload could not be read: " + e.getMessage());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof StatusRuntimeException s ? translate(s)
                        : new RunnerException.Unavailable("The File Service upload failed: " + e.getCause());
            } catch (java.util.concurrent.TimeoutException e) {
                requests.cancel("no answer in time", null);
                throw new RunnerException.Unavailable("The File Service did not answer the upload in time");
            } catch (InterruptedException e) {
                requests.cancel("interrupted", e);
                Thread.currentThread().interrupt();
                throw new RunnerException.Unavailable("The upload was interrupted");
            } catch (RuntimeException e) {
                // E.g. the source refusing to go on (an upload over the size limit): cancel, so
                // the File Service discards what it staged instead of waiting out the deadline.
                requests.cancel("upload aborted by the sender", e);
                throw e;
            }
        }

        private void sendWhenReady(UploadFileChunk chunk) throws InterruptedException {
            synchronized (readiness) {
                // The timed wait is a safety net; the on-ready handler normally wakes us at once.
                while (!requests.isReady() && !result.isDone()) {
                    readiness.wait(100);
                }
            }
            if (!result.isDone()) {
                requests.onNext(chunk);
            }
        }

        private void wake() {
            synchronized (readiness) {
                readiness.notifyAll();
            }
        }

        @Override
        public void onNext(UploadFileResponse response) {
            result.complete(response);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
            wake();
        }

        @Override
        public void onCompleted() {
            // The response arrived in onNext already; a completion without it is the server's error.
            result.completeExceptionally(Status.INTERNAL.withDescription("upload answered without a file").asRuntimeException());
            wake();
        }
    }
}
