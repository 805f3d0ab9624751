package org.aipipeline.runner.apscheme;

import java.util.ArrayList;
import java.util.List;

/**
 * A step's {@code outputValueSelector}: a dot-separated path that narrows an element, parsed once.
 * An ApObject is entered by property name (ignoring case), an ApList by zero-based index
 * ({@code components.0}); the empty selector selects the element itself.
 *
 * <p>Applied to a scheme (validation) an index selects the list's item template, whatever its
 * value; applied to a value (run time) it selects the actual item. Errors are {@link
 * ApSchemeException}s whose path is the selector up to the offending segment and whose reason names
 * that segment.
 */
public final class ValueSelector {

    public static final ValueSelector IDENTITY = new ValueSelector("", List.of());

    private final String text;
    private final List<Segment> segments;

    /** One segment; {@code index} is its value as a list index, or -1 when it is not digits. */
    private record Segment(String name, int index) {}

    private ValueSelector(String text, List<Segment> segments) {
        this.text = text;
        this.segments = segments;
    }

    /**
     * Parses a selector; {@code null} and the empty string select the element itself. Empty or
     * blank segments ({@code a..b}, {@code .a}, {@code a.}), negative indexes and indexes beyond
     * {@code int} are refused.
     */
    public static ValueSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return IDENTITY;
        }
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        while (true) {
            int dot = selector.indexOf('.', start);
            String name = dot < 0 ? selector.substring(start) : selector.substring(start, dot);
            segments.add(segment(selector, segments.size() + 1, name));
            if (dot < 0) {
                break;
            }
            start = dot + 1;
        }
        return new ValueSelector(selector, List.copyOf(segments));
    }

    private static Segment segment(String selector, int number, String name) {
        if (name.isBlank()) {
            throw invalid(selector, "segment " + number + " is empty");
        }
        if (name.charAt(0) == '-' && name.length() > 1 && allDigits(name, 1)) {
            throw invalid(selector, "segment " + number + " ('" + name + "') is a negative index");
        }
        if (!allDigits(name, 0)) {
            return new Segment(name, -1);
        }
        try {
            return new Segment(name, Integer.parseInt(name));
        } catch (NumberFormatException e) {
            throw invalid(selector, "segment " + number + " ('" + name + "') is too large an index");
        }
    }

    private static boolean allDigits(String text, int from) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static ApSchemeException invalid(String selector, String reason) {
        return new ApSchemeException("", "invalid selector '" + selector + "': " + reason);
    }

    public boolean isIdentity() {
        return segments.isEmpty();
    }

    /** What a scheme's selected part looks like: a list index selects the item template. */
    public ApElement applyToScheme(ApElement scheme) {
        return apply(scheme, true);
    }

    /** The selected part of a value: a list index selects that item, which must exist. */
    public ApElement applyToValue(ApElement value) {
        return apply(value, false);
    }

    private ApElement apply(ApElement element, boolean scheme) {
        ApElement current = element;
        for (int i = 0; i < segments.size(); i++) {
            Segment segment = segments.get(i);
            if (current instanceof ApObject object) {
                ApElement property = object.property(segment.name());
                if (property == null) {
                    throw failed(i, "no property '" + segment.name() + "' in the ApObject");
                }
                current = property;
            } else if (current instanceof ApList list) {
                current = item(list, segment, i, scheme);
            } else {
                throw failed(i, "cannot select '" + segment.name() + "' inside " + current.typeName() + ", a leaf");
            }
        }
        return current;
    }

    private ApElement item(ApList list, Segment segment, int position, boolean scheme) {
        if (segment.index() < 0) {
            throw failed(position, "'" + segment.name() + "' is not a list index (an ApList is entered by 0, 1, ...)");
        }
        if (scheme) {
            if (list.items().isEmpty()) {
                throw failed(position, "the ApList scheme has no item template to select");
            }
            return list.items().get(0);
        }
        if (segment.index() >= list.items().size()) {
            throw failed(
                    position,
                    "index "
                            + segment.index()
                            + " is past the end of a list of "
                            + list.items().size()
                            + " items");
        }
        return list.items().get(segment.index());
    }

    /** An error whose path is the selector up to and including the offending segment. */
    private ApSchemeException failed(int position, String reason) {
        StringBuilder path = new StringBuilder();
        for (int i = 0; i <= position; i++) {
            if (i > 0) {
                path.append('.');
            }
            path.append(segments.get(i).name());
        }
        return new ApSchemeException(path.toString(), reason);
    }

    /** The selector as written. */
    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ValueSelector selector && selector.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
