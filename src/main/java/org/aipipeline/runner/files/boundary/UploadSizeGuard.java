package org.aipipeline.runner.files.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.ext.Provider;
import org.aipipeline.runner.files.control.SizeLimitedStream;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Keeps oversized uploads out before Jersey reads the multipart body (which it spools to a
 * temporary file): a declared {@code Content-Length} above the limit is refused at once, without
 * reading a byte; a body of unknown length is cut off as soon as it passes the limit. The body
 * also carries the multipart framing and the small form fields, so it may exceed the file limit
 * by {@link #FORM_ALLOWANCE}; the file itself is held to the exact limit while it is streamed on
 * (see {@link FilesResource}). Runs after authentication, so anonymous callers cannot make the
 * runner read anything.
 */
@Provider
@LimitedUpload
@Priority(Priorities.USER)
public class UploadSizeGuard implements ContainerRequestFilter {

    /** Room for boundaries, part headers, {@code id} and {@code storageScope}. */
    static final long FORM_ALLOWANCE = 64 * 1024;

    @Inject
    @ConfigProperty(name = "files.upload.max-size")
    long maxFileSize;

    @Override
    public void filter(ContainerRequestContext request) {
        long bodyLimit = maxFileSize + FORM_ALLOWANCE;
        if (request.getLength() > bodyLimit) {
            throw tooLarge(maxFileSize);
        }
        request.setEntityStream(
                new SizeLimitedStream(request.getEntityStream(), bodyLimit, limit -> tooLarge(maxFileSize)));
    }

    static RunnerException tooLarge(long maxFileSize) {
        return new RunnerException.TooLarge("Uploads may be at most " + maxFileSize + " bytes");
    }
}
