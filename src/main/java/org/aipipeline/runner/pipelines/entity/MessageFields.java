package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.apscheme.ApSchemeException;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * Reading the fields of protocol messages with errors that name the field. Nodes in other
 * languages send these, so a bad message must say exactly what is wrong when it is dead-lettered.
 */
final class MessageFields {

    private static final ApElementJson ELEMENTS = new ApElementJson();

    private MessageFields() {}

    /** {@code path.name}, or just {@code name} at the top level of a message (empty path). */
    static String field(String path, String name) {
        return path == null || path.isEmpty() ? name : path + "." + name;
    }

    static String requiredString(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value instanceof JsonString s && !s.getString().isBlank()) {
            return s.getString();
        }
        throw new IllegalArgumentException(field(path, name) + ": expected a non-empty string");
    }

    static String optionalString(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        if (value instanceof JsonString s) {
            return s.getString();
        }
        throw new IllegalArgumentException(field(path, name) + ": expected a string");
    }

    static int requiredInt(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value instanceof JsonNumber n && n.isIntegral()) {
            try {
                return n.intValueExact();
            } catch (ArithmeticException tooLarge) {
                throw new IllegalArgumentException(field(path, name) + ": expected an integer, got one out of range");
            }
        }
        if (value instanceof JsonString s) {
            try {
                return Integer.parseInt(s.getString().trim());
            } catch (NumberFormatException e) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException(field(path, name) + ": expected an integer");
    }

    /** A JSON array field that must be present (possibly empty). */
    static JsonArray requiredArray(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value instanceof JsonArray array) {
            return array;
        }
        throw new IllegalArgumentException(field(path, name) + ": expected an array");
    }

    /** The body of a message: one JSON object, or an error saying what it is instead. */
    static JsonObject messageObject(String body, String messageName) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException(messageName + ": empty body");
        }
        JsonValue value;
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(body))) {
            value = reader.readValue();
        } catch (JsonException e) {
            throw new IllegalArgumentException(messageName + ": not JSON (" + e.getMessage() + ")");
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException(messageName + ": expected a JSON object, got "
                    + value.getValueType().toString().toLowerCase(java.util.Locale.ROOT));
        }
        return object;
    }

    static UUID requiredUuid(JsonObject json, String name, String path) {
        String text = requiredString(json, name, path);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field(path, name) + ": not a uuid");
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
                throw new IllegalArgumentException(field(path, name) + ": not an ISO-8601 date-time");
            }
        }
    }

    /** A step of the pipeline; its order is 1-based, so anything below 1 is a broken message. */
    static ProcedureIdentifier step(JsonValue value, String path) {
        ProcedureIdentifier step = ProcedureIdentifier.fromJson(value, path);
        if (step.orderInPipeline() < 1) {
            throw new IllegalArgumentException(
                    path + ".orderInPipeline: must be at least 1, got " + step.orderInPipeline());
        }
        return step;
    }

    /** A required array of steps; errors name the index ({@code nextSteps[2].nodeId}). */
    static List<ProcedureIdentifier> steps(JsonObject json, String name, String path) {
        JsonArray array = requiredArray(json, name, path);
        List<ProcedureIdentifier> steps = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            steps.add(step(array.get(i), field(path, name) + "[" + i + "]"));
        }
        return List.copyOf(steps);
    }

    static JsonArray toJson(List<ProcedureIdentifier> steps) {
        JsonArrayBuilder array = JsonCodecs.JSON.createArrayBuilder();
        steps.forEach(step -> array.add(step.toJson()));
        return array.build();
    }

    /** The ApElement in a message field, with the ApScheme error (and its JSON path) as the reason. */
    static ApElement element(JsonObject json, String name, String path) {
        try {
            return ELEMENTS.parse(json.get(name), field(path, name));
        } catch (ApSchemeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static JsonObject toJson(ApElement element) {
        return ELEMENTS.toJsonObject(element);
    }
}
