package org.aipipeline.runner.fileservice.boundary;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.fileservice.control.FileStoreException;
import org.aipipeline.runner.proto.files.DownloadFileChunk;

/**
 * Sends one file as a stream of chunks, only as fast as the client takes them: it writes while
 * the call {@code isReady()} and resumes from the on-ready callback, so at most the transport's
 * flow-control window is buffered, never the file. The file is closed on completion, error and
 * cancellation alike.
 */
final class DownloadPump {

    private static final System.Logger LOG = System.getLogger(DownloadPump.class.getName());

    private final ServerCallStreamObserver<DownloadFileChunk> call;
    private final DownloadFileChunk header;
    private final InputStream in;
    private final int chunkSize;
    private boolean headerSent;
    private boolean done;

    DownloadPump(
            ServerCallStreamObserver<DownloadFileChunk> call, DownloadFileChunk header, InputStream in, int chunkSize) {
        this.call = call;
        this.header = header;
        this.in = in;
        this.chunkSize = chunkSize;
    }

    void start() {
        call.setOnCancelHandler(this::cancelled);
        call.setOnReadyHandler(this::drain);
        // The on-ready callback also fires once the call is ready; draining now just starts earlier.
        drain();
    }

    private synchronized void drain() {
        try {
            while (!done && call.isReady()) {
                if (!headerSent) {
                    call.onNext(header);
                    headerSent = true;
                    continue;
                }
                byte[] buffer = in.readNBytes(chunkSize);
                if (buffer.length == 0) {
                    finish();
                    call.onCompleted();
                    return;
                }
                // A fresh array per chunk, handed over without a copy: nothing else writes it.
                call.onNext(DownloadFileChunk.newBuilder()
                        .setData(UnsafeByteOperations.unsafeWrap(buffer))
                        .build());
            }
        } catch (IOException | RuntimeException e) {
            if (!done) {
                finish();
                call.onError(FileServiceEndpoint.toStatus(
                        e instanceof RuntimeException
                                ? e
                                : new FileStoreException(
                                        FileStoreException.Reason.INTERNAL,
                                        "Could not read a file being downloaded",
                                        e)));
            }
        }
    }

    private synchronized void cancelled() {
        LOG.log(Level.DEBUG, "Download cancelled by the client");
        finish();
    }

    private void finish() {
        done = true;
        try {
            in.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Could not close a downloaded file", e);
        }
    }
}
