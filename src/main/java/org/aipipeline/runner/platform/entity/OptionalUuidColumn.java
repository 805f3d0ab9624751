package org.aipipeline.runner.platform.entity;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.UUID;

/**
 * For nullable {@code uuid} columns: EclipseLink's built-in UUID conversion throws a
 * NullPointerException when it reads a SQL NULL. Declaring this converter on the attribute
 * ({@code @Convert(converter = OptionalUuidColumn.class)}) replaces it; both the PostgreSQL and
 * the H2 driver bind and return {@link UUID} natively, so the value passes through unchanged.
 */
@Converter
public class OptionalUuidColumn implements AttributeConverter<UUID, UUID> {

    @Override
    public UUID convertToDatabaseColumn(UUID attribute) {
        return attribute;
    }

    @Override
    public UUID convertToEntityAttribute(UUID column) {
        return column;
    }
}
