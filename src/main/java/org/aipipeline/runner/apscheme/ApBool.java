package org.aipipeline.runner.apscheme;

/** A boolean. */
public record ApBool(boolean value) implements ApElement {

    public static final String TYPE = "ApBool";

    /** The value a procedure scheme declares: {@code false}. */
    public static ApBool template() {
        return new ApBool(false);
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
