package org.aipipeline.runner.apscheme;

/**
 * An element that cannot be read, or a selector that cannot be parsed or applied. It carries the
 * path of the offending part ({@code input.properties.image.id}) apart from the reason ({@code not
 * a uuid}), so that the REST layer can report both as a field error.
 */
public class ApSchemeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public ApSchemeException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    /** Where the problem is, e.g. {@code input.properties.image.id}; empty for the whole input. */
    public String path() {
        return path;
    }

    /** What is wrong there, e.g. {@code not a uuid}. */
    public String reason() {
        return reason;
    }
}
