package org.aipipeline.runner.apscheme;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.stream.JsonGenerator;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Prints elements in the one wire form: {@code type} first, then every field of the type, the
 * scheme-only lists included even when empty, so that reading the output gives an equal element.
 * Numbers keep their exact representation ({@link java.math.BigDecimal#toString()}: {@code 3.00},
 * {@code 1E+3}); a template without default prints its value as {@code ""}.
 */
final class ElementWriter {

    /** Always prints seconds, and as many fraction digits as the value has. */
    static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private ElementWriter() {}

    /** Writes the element as the next value of the generator: a named field when name is given. */
    static void write(JsonGenerator out, String name, ApElement element) {
        if (name == null) {
            out.writeStartObject();
        } else {
            out.writeStartObject(name);
        }
        out.write("type", element.typeName());
        if (element instanceof ApBool bool) {
            out.write("value", bool.value());
        } else if (element instanceof ApString string) {
            out.write("value", string.value());
        } else if (element instanceof ApInt integer) {
            if (integer.hasValue()) {
                out.write("value", integer.value());
            } else {
                out.write("value", "");
            }
        } else if (element instanceof ApDecimal decimal) {
            if (decimal.hasValue()) {
                out.write("value", decimal.value());
            } else {
                out.write("value", "");
            }
        } else if (element instanceof ApDateTime dateTime) {
            out.write("value", DATE_TIME.format(dateTime.value()));
        } else if (element instanceof ApEnum enumeration) {
            out.write("value", enumeration.value());
            writeNames(out, "supportedCases", enumeration.supportedCases());
        } else if (element instanceof ApFile file) {
            out.write("id", file.id().toString());
            out.write("contentType", file.contentType());
            writeNames(out, "supportedContentTypes", file.supportedContentTypes());
        } else if (element instanceof ApList list) {
            out.writeStartArray("items");
            for (ApElement item : list.items()) {
                write(out, null, item);
            }
            out.writeEnd();
        } else if (element instanceof ApObject object) {
            out.writeStartObject("properties");
            for (Map.Entry<String, ApElement> property : object.properties().entrySet()) {
                write(out, property.getKey(), property.getValue());
            }
            out.writeEnd();
            writeNames(out, "nonRequiredProperties", object.nonRequiredProperties());
        }
        out.writeEnd();
    }

    private static void writeNames(JsonGenerator out, String name, List<String> names) {
        out.writeStartArray(name);
        for (String each : names) {
            out.write(each);
        }
        out.writeEnd();
    }

    /** The same form as a JSON-P object, for callers that embed elements in larger documents. */
    static JsonObject toJsonObject(JsonBuilderFactory json, ApElement element) {
        JsonObjectBuilder out = json.createObjectBuilder().add("type", element.typeName());
        if (element instanceof ApBool bool) {
            out.add("value", bool.value());
        } else if (element instanceof ApString string) {
            out.add("value", string.value());
        } else if (element instanceof ApInt integer) {
            if (integer.hasValue()) {
                out.add("value", integer.value());
            } else {
                out.add("value", "");
            }
        } else if (element instanceof ApDecimal decimal) {
            if (decimal.hasValue()) {
                out.add("value", decimal.value());
            } else {
                out.add("value", "");
            }
        } else if (element instanceof ApDateTime dateTime) {
            out.add("value", DATE_TIME.format(dateTime.value()));
        } else if (element instanceof ApEnum enumeration) {
            out.add("value", enumeration.value());
            out.add("supportedCases", names(json, enumeration.supportedCases()));
        } else if (element instanceof ApFile file) {
            out.add("id", file.id().toString());
            out.add("contentType", file.contentType());
            out.add("supportedContentTypes", names(json, file.supportedContentTypes()));
        } else if (element instanceof ApList list) {
            JsonArrayBuilder items = json.createArrayBuilder();
            for (ApElement item : list.items()) {
                items.add(toJsonObject(json, item));
            }
            out.add("items", items);
        } else if (element instanceof ApObject object) {
            JsonObjectBuilder properties = json.createObjectBuilder();
            for (Map.Entry<String, ApElement> property : object.properties().entrySet()) {
                properties.add(property.getKey(), toJsonObject(json, property.getValue()));
            }
            out.add("properties", properties);
            out.add("nonRequiredProperties", names(json, object.nonRequiredProperties()));
        }
        return out.build();
    }

    private static JsonArrayBuilder names(JsonBuilderFactory json, List<String> names) {
        JsonArrayBuilder array = json.createArrayBuilder();
        names.forEach(array::add);
        return array;
    }
}
