package org.aipipeline.runner.apscheme;

/**
 * Where a part of an element is, rendered only when something is wrong there: building the text
 * for every element of a large input would cost more than reading it.
 *
 * <p>Rendered as {@code input.properties.image.id} and {@code input.items[2]}, one dot between
 * parts; a root with an empty name renders relative paths ({@code properties.detectedCode}).
 */
final class ElementPath {

    private final ElementPath parent;
    private final String name;
    private final int index;

    private ElementPath(ElementPath parent, String name, int index) {
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    static ElementPath root(String name) {
        return new ElementPath(null, name, -1);
    }

    ElementPath property(String propertyName) {
        return new ElementPath(this, propertyName, -1);
    }

    ElementPath item(int itemIndex) {
        return new ElementPath(this, null, itemIndex);
    }

    /** A field of the element itself, such as {@code value} or {@code id}. */
    ElementPath field(String fieldName) {
        return new ElementPath(this, fieldName, -2);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        render(text);
        return text.toString();
    }

    private void render(StringBuilder text) {
        if (parent == null) {
            text.append(name);
            return;
        }
        parent.render(text);
        if (text.length() > 0) {
            text.append('.');
        }
        if (name == null) {
            text.append("items[").append(index).append(']');
        } else if (index == -2) {
            text.append(name);
        } else {
            text.append("properties.").append(name);
        }
    }
}
