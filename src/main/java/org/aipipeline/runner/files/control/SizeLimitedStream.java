package org.aipipeline.runner.files.control;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongFunction;

/**
 * Passes bytes through and counts them; the first read that goes past {@code limit} throws the
 * exception {@code tooLarge} makes (a runtime exception, so that whoever is consuming the stream
 * aborts instead of treating it as a broken connection). Lets an upload of unknown length be
 * refused as soon as it is too large, without reading the rest.
 */
public final class SizeLimitedStream extends FilterInputStream {

    private final long limit;
    private final LongFunction<RuntimeException> tooLarge;
    private long count;

    public SizeLimitedStream(InputStream in, long limit, LongFunction<RuntimeException> tooLarge) {
        super(in);
        this.limit = limit;
        this.tooLarge = tooLarge;
    }

    public long count() {
        return count;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            counted(read);
        }
        return read;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        counted(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        // Re-reading after reset would count twice.
        return false;
    }

    private void counted(long bytes) {
        count += bytes;
        if (count > limit) {
            throw tooLarge.apply(limit);
        }
    }
}
