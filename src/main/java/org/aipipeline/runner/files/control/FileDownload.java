package org.aipipeline.runner.files.control;

import com.google.protobuf.ByteString;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import org.aipipeline.runner.files.entity.StoredFile;

/**
 * A download in progress: the file's metadata is known, its bytes are still on the wire. Written
 * out chunk by chunk as the client takes them ({@code StreamingOutput out = download::writeTo}),
 * so memory does not grow with the file. Close it if it is not written out completely, to
 * cancel the transfer.
 */
public final class FileDownload implements AutoCloseable {

    private final StoredFile file;
    private final Iterator<ByteString> chunks;
    private final Runnable cancel;

    FileDownload(StoredFile file, Iterator<ByteString> chunks, Runnable cancel) {
        this.file = file;
        this.chunks = chunks;
        this.cancel = cancel;
    }

    public StoredFile file() {
        return file;
    }

    /** Copies the bytes; a File Service failure midway surfaces as a {@code RunnerException.Unavailable}. */
    public void writeTo(OutputStream out) throws IOException {
        try {
            while (chunks.hasNext()) {
                chunks.next().writeTo(out);
            }
            out.flush();
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        // Cancelling a finished call is a no-op; cancelling a running one frees both ends.
        cancel.run();
    }
}
