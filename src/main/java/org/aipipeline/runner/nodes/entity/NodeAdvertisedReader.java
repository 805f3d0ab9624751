package org.aipipeline.runner.nodes.entity;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.apscheme.ApSchemeException;
import org.aipipeline.runner.nodes.entity.NodeAdvertised.AdvertisedProcedure;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * Reads NodeAdvertised bodies strictly where a mistake would corrupt the registry or the node's
 * queue, and leniently elsewhere (unknown fields are ignored, {@code schemaVersion} may be a string
 * or a number, as .NET nodes send it).
 *
 * <p>Refused: a body that is not a JSON object; a missing, blank or unusable node id (it is also
 * an AMQP queue name: at most 255 bytes, not {@code amq.}-prefixed); a missing {@code procedures}
 * array; a procedure without id, version, input or output; a scheme ApElementJson refuses; two
 * procedures with the same id. Ids are compared exactly (case-sensitive), as pipelines look them up.
 */
final class NodeAdvertisedReader {

    private static final ApElementJson SCHEMES = new ApElementJson();
    private static final int MAX_QUEUE_NAME_BYTES = 255;

    private NodeAdvertisedReader() {}

    static NodeAdvertised read(String body) {
        JsonObject advert = object(body);
        String nodeId = nodeId(advert.get("nodeId"));
        JsonValue procedures = advert.get("procedures");
        if (!(procedures instanceof JsonArray array)) {
            throw new InvalidAdvert("procedures", procedures == null ? "missing" : "not an array");
        }
        List<AdvertisedProcedure> read = new ArrayList<>(array.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            String path = "procedures[" + i + "]";
            AdvertisedProcedure procedure = procedure(array.get(i), path);
            if (!ids.add(procedure.id())) {
                throw new InvalidAdvert(path + ".id", "duplicate procedure id '" + procedure.id() + "'");
            }
            read.add(procedure);
        }
        return new NodeAdvertised(nodeId, read);
    }

    private static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            throw new InvalidAdvert("", "empty body");
        }
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                throw new InvalidAdvert("", "expected a JSON object, got " + kind(value));
            }
            return object;
        } catch (JsonException e) { // JsonParsingException included
            throw new InvalidAdvert("", "not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static String nodeId(JsonValue value) {
        String id = text(value, "nodeId");
        if (id.isBlank()) {
            throw new InvalidAdvert("nodeId", "blank");
        }
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_QUEUE_NAME_BYTES) {
            throw new InvalidAdvert(
                    "nodeId", "longer than " + MAX_QUEUE_NAME_BYTES + " bytes (it names the node's queue)");
        }
        if (id.startsWith("amq.")) {
            throw new InvalidAdvert("nodeId", "must not start with 'amq.' (reserved queue names)");
        }
        if (id.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidAdvert("nodeId", "contains control characters");
        }
        return id;
    }

    private static AdvertisedProcedure procedure(JsonValue value, String path) {
        if (!(value instanceof JsonObject procedure)) {
            throw new InvalidAdvert(path, "expected an object, got " + kind(value));
        }
        String id = text(procedure.get("id"), path + ".id");
        if (id.isBlank()) {
            throw new InvalidAdvert(path + ".id", "blank");
        }
        String version = schemaVersion(procedure.get("schemaVersion"), path + ".schemaVersion");
        return new AdvertisedProcedure(
                id,
                version,
                scheme(procedure.get("input"), path + ".input"),
                scheme(procedure.get("output"), path + ".output"));
    }

    private static String schemaVersion(JsonValue value, String path) {
        if (value instanceof JsonNumber number) {
            return number.toString();
        }
        return text(value, path);
    }

    private static ApElement scheme(JsonValue value, String path) {
        if (value == null) {
            throw new InvalidAdvert(path, "missing");
        }
        try {
            return SCHEMES.parse(value, path);
        } catch (ApSchemeException e) {
            throw new InvalidAdvert(e.path(), e.reason());
        }
    }

    private static String text(JsonValue value, String path) {
        if (value == null || value == JsonValue.NULL) {
            throw new InvalidAdvert(path, "missing");
        }
        if (!(value instanceof JsonString string)) {
            throw new InvalidAdvert(path, "expected a string, got " + kind(value));
        }
        return string.getString();
    }

    private static String kind(JsonValue value) {
        return value == null ? "nothing" : value.getValueType().toString().toLowerCase();
    }
}
