package org.aipipeline.runner.apscheme;

import java.util.List;

/**
 * A list of elements of one type. In a scheme it holds exactly one item, the template of the item
 * type; {@link #itemTemplate()} is how compatibility and selectors read a scheme.
 */
public record ApList(List<ApElement> items) implements ApElement {

    public static final String TYPE = "ApList";

    public ApList {
        items = List.copyOf(items);
    }

    public static ApList of(ApElement... items) {
        return new ApList(List.of(items));
    }

    /** The scheme form: one item, the template of the item type. */
    public static ApList template(ApElement itemTemplate) {
        return new ApList(List.of(itemTemplate));
    }

    /** The first item, which a scheme uses as the item type; {@code null} for an empty list. */
    public ApElement itemTemplate() {
        return items.isEmpty() ? null : items.get(0);
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
