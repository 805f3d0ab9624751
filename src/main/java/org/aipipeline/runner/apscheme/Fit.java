package org.aipipeline.runner.apscheme;

import java.util.List;

/**
 * The answer to "does A fit B": no mismatches, or the mismatches in the order they were found,
 * so that the first names the first offending part.
 */
public record Fit(List<Mismatch> mismatches) {

    public static final Fit OK = new Fit(List.of());

    public Fit {
        mismatches = List.copyOf(mismatches);
    }

    public boolean ok() {
        return mismatches.isEmpty();
    }

    /** The first mismatch; only call when not {@link #ok()}. */
    public Mismatch first() {
        if (mismatches.isEmpty()) {
            throw new IllegalStateException("it fits: there is no mismatch");
        }
        return mismatches.get(0);
    }

    @Override
    public String toString() {
        return ok() ? "fits" : mismatches.toString();
    }
}
