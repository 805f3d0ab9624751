package org.aipipeline.runner.apscheme;

import jakarta.json.stream.JsonParser.Event;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.UUID;

/**
 * The fields of one element's JSON object as read, before its {@code type} is known: the wire
 * does not promise that {@code type} comes first. {@link #build} then checks them against the
 * type, leniently where published nodes are sloppy (numbers and booleans as strings, an empty
 * string or null as an ApInt/ApDecimal template without default, omitted scheme-only lists) and
 * strictly elsewhere.
 */
final class ElementFields {

    /** Integers longer than this are refused: converting {@code 1e999999999} would exhaust memory. */
    static final int MAX_INTEGER_DIGITS = 1000;

    Event typeKind;
    String type;
    Event valueKind;
    String valueText;
    BigDecimal valueNumber;
    Event idKind;
    String id;
    Event contentTypeKind;
    String contentType;
    List<String> supportedCases;
    List<String> supportedContentTypes;
    List<String> nonRequiredProperties;
    List<ApElement> items;
    LinkedHashMap<String, ApElement> properties;

    ApElement build(ElementPath path) {
        if (typeKind == null) {
            throw new ApSchemeException(path.toString(), "missing \"type\"");
        }
        if (typeKind != Event.VALUE_STRING) {
            throw wrongKind(path.field("type"), "a string", typeKind);
        }
        switch (type) {
            case ApBool.TYPE:
                return new ApBool(bool(path));
            case ApString.TYPE:
                return new ApString(string(path, "value", valueKind, valueText));
            case ApInt.TYPE:
                return new ApInt(integer(path));
            case ApDecimal.TYPE:
                return new ApDecimal(decimal(path));
            case ApDateTime.TYPE:
                return new ApDateTime(dateTime(path));
            case ApEnum.TYPE:
                return new ApEnum(string(path, "value", valueKind, valueText), orEmpty(supportedCases));
            case ApFile.TYPE:
                return new ApFile(
                        uuid(path),
                        string(path, "contentType", contentTypeKind, contentType),
                        orEmpty(supportedContentTypes));
            case ApList.TYPE:
                if (items == null) {
                    throw new ApSchemeException(path.toString(), "missing \"items\"");
                }
                return new ApList(items);
            case ApObject.TYPE:
                if (properties == null) {
                    throw new ApSchemeException(path.toString(), "missing \"properties\"");
                }
                return new ApObject(properties, orEmpty(nonRequiredProperties));
            default:
                throw new ApSchemeException(path.field("type").toString(), "unknown type '" + type + "'");
        }
    }

    private boolean bool(ElementPath path) {
        requireValue(path);
        if (valueKind == Event.VALUE_TRUE || valueKind == Event.VALUE_FALSE) {
            return valueKind == Event.VALUE_TRUE;
        }
        if (valueKind == Event.VALUE_STRING) {
            if ("true".equalsIgnoreCase(valueText.strip())) {
                return true;
            }
            if ("false".equalsIgnoreCase(valueText.strip())) {
                return false;
            }
            throw new ApSchemeException(path.field("value").toString(), "not a boolean: '" + valueText + "'");
        }
        throw wrongKind(path.field("value"), "a boolean", valueKind);
    }

    private BigInteger integer(ElementPath path) {
        BigDecimal number = number(path, "an integer");
        if (number == null) {
            return null;
        }
        if (number.scale() > 0) {
            // 3.0 is an integer written sloppily; 1E-999999999 must not be divided out digit by digit
            number = number.stripTrailingZeros();
            if (number.scale() > 0) {
                throw new ApSchemeException(path.field("value").toString(), "not an integer: " + number);
            }
        }
        if ((long) number.precision() - number.scale() > MAX_INTEGER_DIGITS) {
            throw new ApSchemeException(
                    path.field("value").toString(), "integer longer than " + MAX_INTEGER_DIGITS + " digits");
        }
        return number.toBigIntegerExact();
    }

    private BigDecimal decimal(ElementPath path) {
        return number(path, "a number");
    }

    /** A JSON number, or a string that parses as one; {@code null} for an empty string or null. */
    private BigDecimal number(ElementPath path, String expected) {
        requireValue(path);
        if (valueKind == Event.VALUE_NUMBER) {
            return valueNumber;
        }
        if (valueKind == Event.VALUE_NULL) {
            return null;
        }
        if (valueKind == Event.VALUE_STRING) {
            String text = valueText.strip();
            if (text.isEmpty()) {
                return null;
            }
            try {
                return new BigDecimal(text);
            } catch (NumberFormatException e) {
                throw new ApSchemeException(
                        path.field("value").toString(), "not " + expected + ": '" + valueText + "'");
            }
        }
        throw wrongKind(path.field("value"), expected, valueKind);
    }

    private OffsetDateTime dateTime(ElementPath path) {
        String text = string(path, "value", valueKind, valueText);
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException withoutOffset) {
            try {
                // .NET serializes an unspecified-kind DateTime without offset; the platform means UTC
                return LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                        .atOffset(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new ApSchemeException(
                        path.field("value").toString(), "not an ISO-8601 date-time: '" + text + "'");
            }
        }
    }

    private UUID uuid(ElementPath path) {
        String text = string(path, "id", idKind, id);
        // UUID.fromString accepts "1-2-3-4-5"; only the canonical 8-4-4-4-12 form names a file
        if (text.length() != 36
                || text.charAt(8) != '-'
                || text.charAt(13) != '-'
                || text.charAt(18) != '-'
                || text.charAt(23) != '-') {
            throw new ApSchemeException(path.field("id").toString(), "not a uuid");
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new ApSchemeException(path.field("id").toString(), "not a uuid");
        }
    }

    private void requireValue(ElementPath path) {
        if (valueKind == null) {
            throw new ApSchemeException(path.toString(), "missing \"value\"");
        }
    }

    private static String string(ElementPath path, String field, Event kind, String text) {
        if (kind == null) {
            throw new ApSchemeException(path.toString(), "missing \"" + field + "\"");
        }
        if (kind != Event.VALUE_STRING) {
            throw wrongKind(path.field(field), "a string", kind);
        }
        return text;
    }

    private static List<String> orEmpty(List<String> names) {
        return names == null ? List.of() : names;
    }

    static ApSchemeException wrongKind(ElementPath at, String expected, Event actual) {
        return new ApSchemeException(at.toString(), "expected " + expected + ", got " + describe(actual));
    }

    static String describe(Event kind) {
        switch (kind) {
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            default:
                return kind.toString();
        }
    }
}
