package org.aipipeline.runner.fileservice.entity;

import java.time.Duration;

/**
 * How long a file is kept, and so where it lives: the directory names are the node-side names
 * from the spec, so a path means the same thing to the runner and to the nodes.
 */
public enum FileScope {
    LONG_TERM("long-term-files"),
    SHORT_TERM("short-term-files"),
    TEMPORARY("temp-files");

    private final String directory;

    FileScope(String directory) {
        this.directory = directory;
    }

    public String directory() {
        return directory;
    }

    /** Whether files of this scope are swept at all. */
    public boolean expires() {
        return this != LONG_TERM;
    }

    /** The lifetimes of the expiring scopes, fixed per File Service instance. */
    public record Lifetimes(Duration temporary, Duration shortTerm) {

        public static final Lifetimes DEFAULT = new Lifetimes(Duration.ofDays(1), Duration.ofDays(30));

        public Duration of(FileScope scope) {
            return switch (scope) {
                case TEMPORARY -> temporary;
                case SHORT_TERM -> shortTerm;
                case LONG_TERM -> throw new IllegalArgumentException("long-term files never expire");
            };
        }
    }
}
