package org.aipipeline.runner.fileservice.control;

/**
 * Why the File Service refused or failed a request, independent of the wire: the endpoint turns
 * each reason into one gRPC status, so storage code never learns about gRPC.
 */
public class FileStoreException extends RuntimeException {

    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        INVALID,
        TOO_LARGE,
        UNAVAILABLE,
        INTERNAL
    }

    private final Reason reason;

    public FileStoreException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public FileStoreException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public static FileStoreException notFound(Object fileGuid) {
        return new FileStoreException(Reason.NOT_FOUND, "No file " + fileGuid);
    }

    public static FileStoreException invalid(String message) {
        return new FileStoreException(Reason.INVALID, message);
    }
}
