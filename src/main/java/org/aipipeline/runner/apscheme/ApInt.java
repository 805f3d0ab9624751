package org.aipipeline.runner.apscheme;

import java.math.BigInteger;

/**
 * An integer of any size. A {@code null} value is a scheme template without a default, which
 * nodes publish as {@code "value": ""}.
 */
public record ApInt(BigInteger value) implements ApElement {

    public static final String TYPE = "ApInt";

    public static ApInt of(long value) {
        return new ApInt(BigInteger.valueOf(value));
    }

    /** The value a procedure scheme declares: {@code 0}. */
    public static ApInt template() {
        return new ApInt(BigInteger.ZERO);
    }

    /** A template without a default value ({@code "value": ""} on the wire). */
    public static ApInt withoutDefault() {
        return new ApInt(null);
    }

    public boolean hasValue() {
        return value != null;
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
