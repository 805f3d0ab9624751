package org.aipipeline.runner.apscheme;

import java.util.Objects;

/** A string of characters. */
public record ApString(String value) implements ApElement {

    public static final String TYPE = "ApString";

    public ApString {
        Objects.requireNonNull(value, "value");
    }

    /** The value a procedure scheme declares: the empty string. */
    public static ApString template() {
        return new ApString("");
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
