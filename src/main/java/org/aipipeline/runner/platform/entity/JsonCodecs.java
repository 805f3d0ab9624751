package org.aipipeline.runner.platform.entity;

import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * The one JSON-P provider of the runner (apscheme, which depends on no other area, keeps its own).
 * {@code Json.createObjectBuilder()} and friends look the provider up through the ServiceLoader on
 * every call, which in a WAR means scanning every jar of the application for a service file: a
 * profile of the benchmark showed most request time spent there. Looking it up once makes
 * building a response cost what it should.
 */
public final class JsonCodecs {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonCodecs() {}

    /** JSON text the runner wrote itself (stored ApElements, so well-formed) as a JSON value. */
    public static JsonValue readStored(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        }
    }
}
