package org.aipipeline.runner.platform.entity;

import org.aipipeline.runner.platform.entity.JsonCodecs;
import jakarta.json.spi.JsonProvider;

/**
 * The one JSON-P provider of the runner. {@code JsonCodecs.JSON.createObjectBuilder()} and friends look the
 * provider up through the ServiceLoader on every call, which in a WAR means scanning every jar of
 * the application for a service file: a profile of the benchmark showed most request time spent
 * there. Looking it up once makes building a response cost what it should.
 */
public final class JsonCodecs {

    public static final JsonProvider JSON = JsonProvider.provider();

    private JsonCodecs() {
    }
}
