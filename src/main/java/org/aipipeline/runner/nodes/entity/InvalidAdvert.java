package org.aipipeline.runner.nodes.entity;

/**
 * A NodeAdvertised body the runner refuses, with the JSON path of the problem
 * ({@code procedures[1].input.properties.image: unknown type 'ApImage'}).
 */
public class InvalidAdvert extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final String reason;

    public InvalidAdvert(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    public String reason() {
        return reason;
    }
}
