package org.aipipeline.runner.platform.entity;

import jakarta.json.JsonObjectBuilder;
import java.time.Instant;

/**
 * Members whose value may be absent, written as the API writes them everywhere: present, and
 * JSON {@code null} when there is no value; instants ISO-8601 UTC with {@code Z}.
 */
public final class JsonFields {

    private JsonFields() {}

    public static JsonObjectBuilder text(JsonObjectBuilder json, String name, Object value) {
        return value == null ? json.addNull(name) : json.add(name, value.toString());
    }

    /** {@link Instant#toString()}: ISO-8601 UTC with {@code Z}. */
    public static JsonObjectBuilder instant(JsonObjectBuilder json, String name, Instant value) {
        return text(json, name, value);
    }
}
