package org.aipipeline.runner.apscheme;

import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.FilterWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.util.Map;
import java.util.Objects;

/**
 * The one JSON form of ApElements, used by the REST and the messaging layer alike.
 *
 * <p>Reading streams (no intermediate tree), accepts the sloppiness published nodes show and
 * refuses anything else with an {@link ApSchemeException} naming the JSON path, e.g.
 * {@code input.properties.image.id: not a uuid}. Elements nested deeper than the limit are
 * refused, so hostile input cannot exhaust the stack. Printing then reading any element gives an
 * equal element. Instances are immutable and thread-safe.
 */
public final class ApElementJson {

    public static final int DEFAULT_MAX_DEPTH = 64;

    // Looking the provider up is a service-loader scan: do it once, not per call.
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final JsonParserFactory PARSERS = JSON.createParserFactory(Map.of());
    private static final JsonGeneratorFactory GENERATORS = JSON.createGeneratorFactory(Map.of());
    private static final JsonBuilderFactory BUILDERS = JSON.createBuilderFactory(Map.of());

    private final int maxDepth;

    public ApElementJson() {
        this(DEFAULT_MAX_DEPTH);
    }

    /** A codec refusing elements nested more than {@code maxDepth} levels (the root is level 1). */
    public ApElementJson(int maxDepth) {
        if (maxDepth < 1) {
            throw new IllegalArgumentException("maxDepth must be at least 1");
        }
        this.maxDepth = maxDepth;
    }

    /** Reads an element; error paths are relative ({@code properties.image.id}). */
    public ApElement parse(String json) {
        return parse(json, "");
    }

    /** Reads an element; error paths start with {@code rootPath}, e.g. {@code input}. */
    public ApElement parse(String json, String rootPath) {
        return parse(new StringReader(Objects.requireNonNull(json, "json")), rootPath);
    }

    public ApElement parse(Reader json, String rootPath) {
        try (JsonParser parser = PARSERS.createParser(json)) {
            return new ElementReader(parser, maxDepth).readWhole(ElementPath.root(rootPath));
        }
    }

    /** Reads an element already parsed by JSON-P, e.g. a field of a request body. */
    public ApElement parse(JsonValue json, String rootPath) {
        if (!(json instanceof JsonObject object)) {
            String kind =
                    json == null ? "nothing" : json.getValueType().toString().toLowerCase();
            throw new ApSchemeException(rootPath, "expected an ApElement object, got " + kind);
        }
        try (JsonParser parser = PARSERS.createParser(object)) {
            return new ElementReader(parser, maxDepth).readWhole(ElementPath.root(rootPath));
        }
    }

    public String print(ApElement element) {
        StringWriter out = new StringWriter(256);
        print(element, out);
        return out.toString();
    }

    /** Writes the element to {@code out}, which is flushed but left open. */
    public void print(ApElement element, Writer out) {
        Writer leftOpen = new FilterWriter(out) {
            @Override
            public void close() throws IOException {
                flush();
            }
        };
        try (JsonGenerator generator = GENERATORS.createGenerator(leftOpen)) {
            ElementWriter.write(generator, null, Objects.requireNonNull(element, "element"));
        }
    }

    public JsonObject toJsonObject(ApElement element) {
        return ElementWriter.toJsonObject(BUILDERS, Objects.requireNonNull(element, "element"));
    }
}
