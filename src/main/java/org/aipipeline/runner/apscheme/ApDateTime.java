package org.aipipeline.runner.apscheme;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A point in time with the offset it was given in: {@code 08:00+02:00} and {@code 06:00Z} are the
 * same instant but different elements, so that a node's value comes back as it was sent.
 */
public record ApDateTime(OffsetDateTime value) implements ApElement {

    public static final String TYPE = "ApDateTime";

    public ApDateTime {
        Objects.requireNonNull(value, "value");
    }

    /** The value a procedure scheme declares: the current UTC time. */
    public static ApDateTime template(Clock clock) {
        return new ApDateTime(OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC));
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
