package org.aipipeline.runner.apscheme;

/**
 * A value or a scheme of the pipeline type system: one of nine immutable records.
 *
 * <p>The same records serve as values (a pipeline input, a step result) and as schemes (a
 * procedure's declared input or output, whose leaves hold template values). Equality is exact
 * representation, so that printing and parsing an element gives an equal element; whether one
 * element is acceptable where another is expected is {@link SchemeCompatibility}'s question.
 */
public sealed interface ApElement
        permits ApBool, ApString, ApInt, ApDecimal, ApDateTime, ApEnum, ApFile, ApList, ApObject {

    /** The wire discriminator, the {@code type} field: {@code "ApString"}, {@code "ApList"}, .... */
    String typeName();
}
