package org.aipipeline.runner.apscheme;

import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Reads one element from a streaming parser, without building a JSON tree first. Recursion
 * follows element nesting only and stops at {@code maxDepth}; anything else nested (unknown
 * fields) is skipped by counting, so no input can exhaust the stack.
 */
final class ElementReader {

    private static final int TYPE = 1;
    private static final int VALUE = 1 << 1;
    private static final int ID = 1 << 2;
    private static final int CONTENT_TYPE = 1 << 3;
    private static final int SUPPORTED_CASES = 1 << 4;
    private static final int SUPPORTED_CONTENT_TYPES = 1 << 5;
    private static final int NON_REQUIRED = 1 << 6;
    private static final int ITEMS = 1 << 7;
    private static final int PROPERTIES = 1 << 8;

    private final JsonParser parser;
    private final int maxDepth;

    ElementReader(JsonParser parser, int maxDepth) {
        this.parser = parser;
        this.maxDepth = maxDepth;
    }

    /** The one element the parser's input holds; nothing may follow it. */
    ApElement readWhole(ElementPath root) {
        try {
            if (!parser.hasNext()) {
                throw new ApSchemeException(root.toString(), "no JSON input");
            }
            Event first = parser.next();
            if (first != Event.START_OBJECT) {
                throw ElementFields.wrongKind(root, "an ApElement object", first);
            }
            ApElement element = readElement(root, 1);
            if (parser.hasNext()) {
                throw new ApSchemeException(root.toString(), "unexpected content after the element");
            }
            return element;
        } catch (ApSchemeException e) {
            throw e;
        } catch (RuntimeException e) {
            throw malformed(root, e);
        }
    }

    /** Reads the element whose START_OBJECT the parser has just returned. */
    private ApElement readElement(ElementPath path, int depth) {
        if (depth > maxDepth) {
            throw new ApSchemeException(path.toString(), "nested deeper than " + maxDepth + " levels");
        }
        ElementFields fields = new ElementFields();
        int seen = 0;
        try {
            for (Event event = parser.next(); event != Event.END_OBJECT; event = parser.next()) {
                String key = parser.getString();
                Event kind = parser.next();
                int bit = bitOf(key);
                if (bit != 0) {
                    if ((seen & bit) != 0) {
                        throw new ApSchemeException(path.toString(), "duplicate field \"" + key + "\"");
                    }
                    seen |= bit;
                }
                switch (bit) {
                    case TYPE:
                        fields.typeKind = kind;
                        fields.type = textOrSkip(kind);
                        break;
                    case VALUE:
                        fields.valueKind = kind;
                        if (kind == Event.VALUE_NUMBER) {
                            fields.valueNumber = parser.getBigDecimal();
                        } else {
                            fields.valueText = textOrSkip(kind);
                        }
                        break;
                    case ID:
                        fields.idKind = kind;
                        fields.id = textOrSkip(kind);
                        break;
                    case CONTENT_TYPE:
                        fields.contentTypeKind = kind;
                        fields.contentType = textOrSkip(kind);
                        break;
                    case SUPPORTED_CASES:
                        fields.supportedCases = readNames(kind, path.field(key));
                        break;
                    case SUPPORTED_CONTENT_TYPES:
                        fields.supportedContentTypes = readNames(kind, path.field(key));
                        break;
                    case NON_REQUIRED:
                        fields.nonRequiredProperties = readNames(kind, path.field(key));
                        break;
                    case ITEMS:
                        fields.items = readItems(kind, path, depth);
                        break;
                    case PROPERTIES:
                        fields.properties = readProperties(kind, path, depth);
                        break;
                    default:
                        // unknown fields are tolerated: a node on a newer protocol may add some
                        skip(kind);
                }
            }
        } catch (ApSchemeException e) {
            throw e;
        } catch (RuntimeException e) {
            // JsonParsingException, EOF, and Parsson's own nesting limit (a plain RuntimeException)
            throw malformed(path, e);
        }
        return fields.build(path);
    }

    private List<ApElement> readItems(Event kind, ElementPath path, int depth) {
        if (kind != Event.START_ARRAY) {
            throw ElementFields.wrongKind(path.field("items"), "an array of ApElements", kind);
        }
        List<ApElement> items = new ArrayList<>();
        for (Event event = parser.next(); event != Event.END_ARRAY; event = parser.next()) {
            ElementPath itemPath = path.item(items.size());
            if (event != Event.START_OBJECT) {
                throw ElementFields.wrongKind(itemPath, "an ApElement object", event);
            }
            items.add(readElement(itemPath, depth + 1));
        }
        return items;
    }

    private LinkedHashMap<String, ApElement> readProperties(Event kind, ElementPath path, int depth) {
        if (kind != Event.START_OBJECT) {
            throw ElementFields.wrongKind(path.field("properties"), "an object of ApElements", kind);
        }
        LinkedHashMap<String, ApElement> properties = new LinkedHashMap<>();
        for (Event event = parser.next(); event != Event.END_OBJECT; event = parser.next()) {
            String name = parser.getString();
            ElementPath propertyPath = path.property(name);
            Event valueKind = parser.next();
            if (valueKind != Event.START_OBJECT) {
                throw ElementFields.wrongKind(propertyPath, "an ApElement object", valueKind);
            }
            ApElement element = readElement(propertyPath, depth + 1);
            if (properties.put(name, element) != null) {
                throw new ApSchemeException(propertyPath.toString(), "duplicate property");
            }
        }
        String duplicate = ApObject.caseInsensitiveDuplicate(properties.keySet());
        if (duplicate != null) {
            throw new ApSchemeException(path.property(duplicate).toString(), "duplicate property (names ignore case)");
        }
        return properties;
    }

    /** A list of names; JSON null counts as absent, which .NET nodes send for an empty list. */
    private List<String> readNames(Event kind, ElementPath at) {
        if (kind == Event.VALUE_NULL) {
            return null;
        }
        if (kind != Event.START_ARRAY) {
            throw ElementFields.wrongKind(at, "an array of strings", kind);
        }
        List<String> names = new ArrayList<>();
        for (Event event = parser.next(); event != Event.END_ARRAY; event = parser.next()) {
            if (event != Event.VALUE_STRING) {
                throw new ApSchemeException(
                        at + "[" + names.size() + "]", "expected a string, got " + ElementFields.describe(event));
            }
            names.add(parser.getString());
        }
        return names;
    }

    /** The text of a string; other kinds are remembered by kind only, and structures skipped. */
    private String textOrSkip(Event kind) {
        if (kind == Event.VALUE_STRING) {
            return parser.getString();
        }
        skip(kind);
        return null;
    }

    /** Skips a structure the parser has just opened, counting instead of recursing. */
    private void skip(Event opened) {
        if (opened != Event.START_ARRAY && opened != Event.START_OBJECT) {
            return;
        }
        int open = 1;
        while (open > 0) {
            Event event = parser.next();
            if (event == Event.START_ARRAY || event == Event.START_OBJECT) {
                open++;
            } else if (event == Event.END_ARRAY || event == Event.END_OBJECT) {
                open--;
            }
        }
    }

    private static int bitOf(String key) {
        switch (key) {
            case "type":
                return TYPE;
            case "value":
                return VALUE;
            case "id":
                return ID;
            case "contentType":
                return CONTENT_TYPE;
            case "supportedCases":
                return SUPPORTED_CASES;
            case "supportedContentTypes":
                return SUPPORTED_CONTENT_TYPES;
            case "nonRequiredProperties":
                return NON_REQUIRED;
            case "items":
                return ITEMS;
            case "properties":
                return PROPERTIES;
            default:
                return 0;
        }
    }

    private static ApSchemeException malformed(ElementPath at, RuntimeException cause) {
        ApSchemeException error = new ApSchemeException(at.toString(), "malformed JSON: " + cause.getMessage());
        error.initCause(cause);
        return error;
    }
}
