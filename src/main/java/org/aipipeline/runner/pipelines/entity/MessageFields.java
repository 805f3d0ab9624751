package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reading the fields of protocol messages with errors that name the field. Nodes in other
 * languages send these, so a bad message must say exactly what is wrong when it is dead-lettered.
 */
final class MessageFields {

    private MessageFields() {
    }

    static String requiredString(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value instanceof JsonString s && !s.getString().isBlank()) {
            return s.getString();
        }
        throw new IllegalArgumentException(path + "." + name + ": expected a non-empty string");
    }

    static String optionalString(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalArgumentException(path + "." + name + ": expected a string");
    }

    static int requiredInt(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value instanceof JsonNumber n && n.isIntegral()) {
            return n.intValueExact();
        }
        if (value instanceof JsonString s) {
            try {
                return Integer.parseInt(s.getString().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(path + "." + name + ": expected an integer");
    }

    static UUID requiredUuid(JsonObject json, String name, String path) {
        String text = requiredString(json, name, path);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + "." + name + ": not a uuid");
        }
    }

    /** ISO-8601 with an offset, or without one (read as UTC), as .NET nodes sometimes send. */
    static Instant requiredInstant(JsonObject json, String name, String path) {
        String text = requiredString(json, name, path);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return java.time.LocalDateTime.parse(text).toInstant(java.time.ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + "." + name + ": not an ISO-8601 date-time");
            }
        }
    }
}
