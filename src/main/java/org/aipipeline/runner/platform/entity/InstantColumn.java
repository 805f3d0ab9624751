package org.aipipeline.runner.platform.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Lets entities use {@link Instant} for {@code timestamptz} columns. JPA 3.1 (EclipseLink 4) has
 * no basic mapping for {@code Instant} and would serialize it to bytes; {@code OffsetDateTime}
 * in UTC is bound natively by both the PostgreSQL and the H2 driver.
 */
@Converter(autoApply = true)
public class InstantColumn implements AttributeConverter<Instant, OffsetDateTime> {

    @Override
    public OffsetDateTime convertToDatabaseColumn(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    @Override
    public Instant convertToEntityAttribute(OffsetDateTime column) {
        return column == null ? null : column.toInstant();
    }
}
