package org.aipipeline.runner.apscheme;

import java.util.List;
import java.util.Objects;

/**
 * One of a set of named cases. In a scheme {@code value} is empty and {@code supportedCases} lists
 * the cases; in a value {@code value} is the chosen case and {@code supportedCases} is usually
 * empty (published inputs omit it).
 */
public record ApEnum(String value, List<String> supportedCases) implements ApElement {

    public static final String TYPE = "ApEnum";

    public ApEnum {
        Objects.requireNonNull(value, "value");
        supportedCases = List.copyOf(supportedCases);
    }

    /** A chosen case, as a pipeline input carries it. */
    public static ApEnum of(String value) {
        return new ApEnum(value, List.of());
    }

    /** The scheme form: no value, the cases listed. */
    public static ApEnum template(List<String> supportedCases) {
        return new ApEnum("", supportedCases);
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
