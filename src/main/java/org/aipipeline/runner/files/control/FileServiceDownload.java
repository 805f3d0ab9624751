package org.aipipeline.runner.files.control;

import com.google.protobuf.ByteString;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.proto.files.DownloadFileChunk;
import org.aipipeline.runner.proto.files.DownloadFileRequest;

/**
 * Opening a download: the metadata comes with the first chunk, the bytes as the caller takes
 * them, within {@code files.service.transfer-deadline}; cancelling the download cancels the call.
 */
final class FileServiceDownload {

    private FileServiceDownload() {}

    /** The streamed download; empty when the File Service has no streaming rpc (the original). */
    static Optional<FileDownload> open(FileServiceConnection connection, DownloadFileRequest request) {
        Context.CancellableContext context = Context.current().withCancellation();
        Runnable cancel = () -> context.cancel(null);
        try {
            Iterator<DownloadFileChunk> chunks =
                    context.call(() -> connection.transferStub().downloadFileStream(request));
            DownloadFileChunk first = context.call(chunks::next);
            if (!first.hasFile()) {
                throw new RunnerException.Unavailable("The File Service sent a download without its metadata");
            }
            return Optional.of(new FileDownload(
                    FileServiceWire.toStoredFile(first.getFile()), dataOf(connection, chunks), cancel));
        } catch (StatusRuntimeException e) {
            cancel.run();
            if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
                return Optional.empty();
            }
            throw connection.translate(e);
        } catch (RuntimeException e) {
            cancel.run();
            throw e;
        } catch (Exception e) {
            cancel.run();
            throw new IllegalStateException(e);
        }
    }

    /** For a File Service without the streaming rpc: one message, held in memory. */
    static FileDownload unary(FileServiceConnection connection, StoredFile file, DownloadFileRequest request) {
        ByteString bytes =
                connection.call(() -> connection.stub().downloadFile(request)).getFileData();
        return new FileDownload(file, List.of(bytes).iterator(), () -> {});
    }

    private static Iterator<ByteString> dataOf(FileServiceConnection connection, Iterator<DownloadFileChunk> chunks) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return connection.call(chunks::hasNext);
            }

            @Override
            public ByteString next() {
                return connection.call(chunks::next).getData();
            }
        };
    }
}
