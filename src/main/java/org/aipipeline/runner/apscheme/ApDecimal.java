package org.aipipeline.runner.apscheme;

import java.math.BigDecimal;

/**
 * A high-precision decimal. Equality includes the scale ({@code 1.0} is not {@code 1.00}) because
 * it is the exact representation a node sent and a round trip must give back. A {@code null}
 * value is a scheme template without a default ({@code "value": ""} on the wire).
 */
public record ApDecimal(BigDecimal value) implements ApElement {

    public static final String TYPE = "ApDecimal";

    public static ApDecimal of(String value) {
        return new ApDecimal(new BigDecimal(value));
    }

    /** The value a procedure scheme declares: {@code 0}. */
    public static ApDecimal template() {
        return new ApDecimal(BigDecimal.ZERO);
    }

    /** A template without a default value ({@code "value": ""} on the wire). */
    public static ApDecimal withoutDefault() {
        return new ApDecimal(null);
    }

    public boolean hasValue() {
        return value != null;
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
