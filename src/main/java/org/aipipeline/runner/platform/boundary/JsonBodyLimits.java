package org.aipipeline.runner.platform.boundary;

import jakarta.json.JsonValue;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import org.aipipeline.runner.platform.control.JsonBodyCheck;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Every JSON request body passes through a {@link JsonBodyCheck} on its way to the JSON-B reader:
 * too large is a 413 (a declared {@code Content-Length} over the limit before a byte is read),
 * malformed UTF-8, excessive nesting, duplicate keys and NUL characters are 400s, and a charset
 * other than UTF-8 is a 415. What the check finds wins over whatever the reader made of the broken
 * stream, so the client learns the real reason.
 */
@Provider
public class JsonBodyLimits implements ReaderInterceptor {

    /**
     * Deep enough for the deepest ApElement the codec accepts (64 levels, two JSON levels each)
     * inside a request, far below what overflows a parser's stack.
     */
    static final int MAX_DEPTH = 160;

    private final long maxBytes = ConfigProvider.getConfig(JsonBodyLimits.class.getClassLoader())
            .getOptionalValue("api.json.max-size", Long.class)
            .orElse(8L << 20);

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type == null || !isJson(type)) {
            return context.proceed();
        }
        String charset = type.getParameters().get(MediaType.CHARSET_PARAMETER);
        if (charset != null && !StandardCharsets.UTF_8.name().equalsIgnoreCase(charset.strip())) {
            throw new NotSupportedException("JSON must be sent as UTF-8, not charset=" + charset);
        }
        String declared = context.getHeaders().getFirst(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declaredLength(declared) > maxBytes) {
            throw new RunnerException.TooLarge("The JSON body is larger than " + maxBytes
                    + " bytes (api.json.max-size): send less, e.g. split a batch into several");
        }
        JsonBodyCheck check = new JsonBodyCheck(maxBytes, MAX_DEPTH);
        Class<?> target = context.getType();
        if (!JsonValue.class.isAssignableFrom(target)
                && !Collection.class.isAssignableFrom(target)
                && !target.isArray()) {
            check.requireObject();
        }
        CheckedStream checked = new CheckedStream(context.getInputStream(), check);
        context.setInputStream(checked);
        try {
            return context.proceed();
        } catch (RuntimeException | IOException e) {
            if (checked.rejection != null) {
                throw checked.rejection;
            }
            throw e;
        }
    }

    static boolean isJson(MediaType type) {
        return "application".equalsIgnoreCase(type.getType())
                && ("json".equalsIgnoreCase(type.getSubtype())
                        || type.getSubtype().toLowerCase().endsWith("+json"));
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1; // the container has already refused a malformed length
        }
    }

    /** Feeds every byte read to the check and remembers why it refused the body. */
    private static final class CheckedStream extends FilterInputStream {

        private final JsonBodyCheck check;
        RunnerException rejection;

        CheckedStream(InputStream in, JsonBodyCheck check) {
            super(in);
            this.check = check;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (rejection != null) {
                throw rejection;
            }
            int n = super.read(buffer, offset, length);
            try {
                if (n < 0) {
                    check.finish();
                } else {
                    check.accept(buffer, offset, n);
                }
            } catch (RunnerException e) {
                rejection = e;
                throw e;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            int read = read(buffer, 0, buffer.length);
            return Math.max(read, 0);
        }
    }
}
