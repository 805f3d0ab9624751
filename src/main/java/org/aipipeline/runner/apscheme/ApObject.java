package org.aipipeline.runner.apscheme;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Named elements in the order they were given. Property names are matched case-insensitively
 * (nodes written in .NET and in other languages disagree on casing), so two names that differ only
 * in case are rejected: either would be ambiguous to a selector or to a compatibility check.
 *
 * <p>{@code nonRequiredProperties} marks properties an input scheme can do without; names are
 * matched case-insensitively too (published schemes list {@code AspectRatio} for
 * {@code aspectRatio}). Equality ignores property order, like JSON objects; printing keeps it.
 */
public record ApObject(Map<String, ApElement> properties, List<String> nonRequiredProperties) implements ApElement {

    public static final String TYPE = "ApObject";

    /** Below this many properties a pairwise scan beats building a set. */
    private static final int SMALL = 8;

    public ApObject {
        Map<String, ApElement> copy = new LinkedHashMap<>(properties);
        copy.forEach((name, element) -> {
            Objects.requireNonNull(name, "property name");
            Objects.requireNonNull(element, () -> "property " + name);
        });
        String duplicate = caseInsensitiveDuplicate(copy.keySet());
        if (duplicate != null) {
            throw new IllegalArgumentException("duplicate property name (ignoring case): " + duplicate);
        }
        properties = Collections.unmodifiableMap(copy);
        nonRequiredProperties = List.copyOf(nonRequiredProperties);
    }

    /** An object whose properties are all required. */
    public static ApObject of(Map<String, ApElement> properties) {
        return new ApObject(properties, List.of());
    }

    /** The property of that name, ignoring case; {@code null} when there is none. */
    public ApElement property(String name) {
        ApElement exact = properties.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, ApElement> entry : properties.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /** Whether an input scheme needs this property: it is not listed as non-required. */
    public boolean isRequired(String name) {
        for (String optional : nonRequiredProperties) {
            if (optional.equalsIgnoreCase(name)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String typeName() {
        return TYPE;
    }

    /** The first name that repeats an earlier one ignoring case, or {@code null}. */
    static String caseInsensitiveDuplicate(Set<String> names) {
        if (names.size() <= SMALL) {
            String[] all = names.toArray(String[]::new);
            for (int i = 1; i < all.length; i++) {
                for (int j = 0; j < i; j++) {
                    if (all[i].equalsIgnoreCase(all[j])) {
                        return all[i];
                    }
                }
            }
            return null;
        }
        Set<String> seen = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        for (String name : names) {
            if (!seen.add(name)) {
                return name;
            }
        }
        return null;
    }
}
