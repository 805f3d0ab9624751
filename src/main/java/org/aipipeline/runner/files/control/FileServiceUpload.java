package org.aipipeline.runner.files.control;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.proto.files.UploadFileChunk;
import org.aipipeline.runner.proto.files.UploadFileHeader;
import org.aipipeline.runner.proto.files.UploadFileRequest;
import org.aipipeline.runner.proto.files.UploadFileResponse;

/**
 * One upload. Up to {@link #UNARY_LIMIT} bytes go in one unary message, which every File Service
 * understands (the original too); more are streamed from the calling thread: a chunk goes out only
 * while the transport is ready, otherwise the thread waits for the on-ready signal. So at most one
 * chunk plus the flow-control window is in memory, however large the file.
 */
final class FileServiceUpload implements ClientResponseObserver<UploadFileChunk, UploadFileResponse> {

    /** Files up to this size go in one unary message. */
    static final int UNARY_LIMIT = 1024 * 1024;

    static final int CHUNK_SIZE = 64 * 1024;

    private final FileServiceConnection connection;
    private final UploadFileHeader header;
    private final InputStream data;
    private final CompletableFuture<UploadFileResponse> result = new CompletableFuture<>();
    private final Object readiness = new Object();
    private ClientCallStreamObserver<UploadFileChunk> requests;

    private FileServiceUpload(FileServiceConnection connection, UploadFileHeader header, InputStream data) {
        this.connection = connection;
        this.header = header;
        this.data = data;
    }

    /**
     * Stores a file read from {@code data}, which is consumed but not closed. {@code sizeHint} is
     * the expected size or -1 if unknown: a hint above the unary limit skips looking ahead.
     */
    static StoredFile send(FileServiceConnection connection, UploadFileHeader header, InputStream data, long sizeHint) {
        InputStream rest = data;
        if (sizeHint <= UNARY_LIMIT) {
            byte[] head = read(data, UNARY_LIMIT + 1);
            if (head.length <= UNARY_LIMIT) {
                return unary(connection, header, head);
            }
            rest = new SequenceInputStream(new ByteArrayInputStream(head), data);
        }
        return new FileServiceUpload(connection, header, rest).stream();
    }

    private static StoredFile unary(FileServiceConnection connection, UploadFileHeader header, byte[] bytes) {
        UploadFileRequest.Builder request = UploadFileRequest.newBuilder()
                .setUserGuid(header.getUserGuid())
                .setFileName(header.getFileName())
                .setContentType(header.getContentType())
                .setStorageScope(header.getStorageScope())
                .setFileData(UnsafeByteOperations.unsafeWrap(bytes));
        if (header.hasFileGuid()) {
            request.setFileGuid(header.getFileGuid());
        }
        return FileServiceWire.toStoredFile(connection
                .call(() -> connection.stub().uploadFile(request.build()))
                .getFile());
    }

    private static byte[] read(InputStream data, int limit) {
        try {
            return data.readNBytes(limit);
        } catch (IOException e) {
            throw new RunnerException.BadInput("The upload could not be read: " + e.getMessage());
        }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<UploadFileChunk> requestStream) {
        this.requests = requestStream;
        requestStream.setOnReadyHandler(this::wake);
    }

    private StoredFile stream() {
        connection.uploadStub().uploadFileStream(this);
        try {
            sendWhenReady(UploadFileChunk.newBuilder().setHeader(header).build());
            byte[] buffer = new byte[CHUNK_SIZE];
            int read;
            while (!result.isDone() && (read = data.readNBytes(buffer, 0, CHUNK_SIZE)) > 0) {
                sendWhenReady(UploadFileChunk.newBuilder()
                        .setData(ByteString.copyFrom(buffer, 0, read))
                        .build());
            }
            if (!result.isDone()) {
                requests.onCompleted();
            }
            return FileServiceWire.toStoredFile(
                    result.get(connection.transferDeadline().toMillis() + 1000, TimeUnit.MILLISECONDS)
                            .getFile());
        } catch (IOException e) {
            requests.cancel("the upload could not be read", e);
            throw new RunnerException.BadInput("The upload could not be read: " + e.getMessage());
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StatusRuntimeException s
                    ? connection.translate(s)
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
        result.completeExceptionally(Status.INTERNAL
                .withDescription("upload answered without a file")
                .asRuntimeException());
        wake();
    }
}
