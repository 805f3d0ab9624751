package org.aipipeline.runner.apscheme;

import java.util.Objects;

/**
 * One reason an element does not fit a scheme: where ({@code properties.detectedCode}, empty for
 * the element itself) and why ({@code expected ApString, got ApObject}).
 */
public record Mismatch(String path, String reason) {

    public Mismatch {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(reason, "reason");
    }

    /** {@code properties.detectedCode: expected ApString, got ApObject}. */
    @Override
    public String toString() {
        return path.isEmpty() ? reason : path + ": " + reason;
    }
}
