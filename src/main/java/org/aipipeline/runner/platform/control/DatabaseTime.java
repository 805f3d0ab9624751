package org.aipipeline.runner.platform.control;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** The current instant at the precision PostgreSQL stores (microseconds), so a stored and a
 *  returned timestamp never differ in the last digits. */
public final class DatabaseTime {

    private DatabaseTime() {}

    public static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** An instant as a JDBC {@code timestamptz} parameter: drivers bind {@code OffsetDateTime}, not {@code Instant}. */
    public static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
