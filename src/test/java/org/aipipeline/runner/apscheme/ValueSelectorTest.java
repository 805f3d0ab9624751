package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueSelectorTest {

    /** {detectedCode: {components: [ "a", "b" ]}, "0": "zero"} as value and as scheme. */
    private static final ApObject VALUE = ApObject.of(SchemeCompatibilityTest.ordered(
            "detectedCode",
            ApObject.of(Map.of("components", ApList.of(new ApString("a"), new ApString("b")))),
            "0",
            new ApString("zero")));

    private static final ApObject SCHEME = ApObject.of(
            Map.of("detectedCode", ApObject.of(Map.of("components", ApList.template(ApString.template())))));

    @Test
    void emptyAndNullSelectTheElementItself() {
        assertSame(ValueSelector.IDENTITY, ValueSelector.parse(""));
        assertSame(ValueSelector.IDENTITY, ValueSelector.parse(null));
        assertTrue(ValueSelector.IDENTITY.isIdentity());
        assertSame(VALUE, ValueSelector.parse("").applyToValue(VALUE));
        assertSame(SCHEME, ValueSelector.parse("").applyToScheme(SCHEME));
    }

    @Test
    void entersObjectsByNameIgnoringCaseAndListsByIndex() {
        assertEquals(
                new ApString("b"),
                ValueSelector.parse("detectedCode.components.1").applyToValue(VALUE));
        assertEquals(
                new ApString("a"),
                ValueSelector.parse("DETECTEDCODE.Components.0").applyToValue(VALUE));
        assertEquals(
                ApList.of(new ApString("a"), new ApString("b")),
                ValueSelector.parse("detectedCode.components").applyToValue(VALUE));
    }

    @Test
    void aDigitSegmentNamesAPropertyOfAnObject() {
        assertEquals(new ApString("zero"), ValueSelector.parse("0").applyToValue(VALUE));
    }

    @Test
    void onASchemeAnyIndexSelectsTheItemTemplate() {
        assertEquals(
                ApString.template(),
                ValueSelector.parse("detectedCode.components.0").applyToScheme(SCHEME));
        assertEquals(
                ApString.template(),
                ValueSelector.parse("detectedCode.components.7").applyToScheme(SCHEME));
    }

    @Test
    void onAValueAnIndexPastTheEndIsAnError() {
        ApSchemeException error = assertThrows(
                ApSchemeException.class,
                () -> ValueSelector.parse("detectedCode.components.2").applyToValue(VALUE));
        assertEquals("detectedCode.components.2", error.path());
        assertEquals("index 2 is past the end of a list of 2 items", error.reason());
    }

    @Test
    void aSchemeListWithoutTemplateCannotBeEntered() {
        ApSchemeException error = assertThrows(
                ApSchemeException.class, () -> ValueSelector.parse("0").applyToScheme(ApList.of()));
        assertEquals("0: the ApList scheme has no item template to select", error.getMessage());
    }

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("missing", "missing: no property 'missing' in the ApObject"),
                Arguments.of("detectedCode.nope", "detectedCode.nope: no property 'nope' in the ApObject"),
                Arguments.of(
                        "detectedCode.components.first",
                        "detectedCode.components.first: 'first' is not a list index (an ApList is entered by 0, 1, ...)"),
                Arguments.of("0.length", "0.length: cannot select 'length' inside ApString, a leaf"),
                Arguments.of(
                        "detectedCode.components.0.x",
                        "detectedCode.components.0.x: cannot select 'x' inside ApString, a leaf"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void errorsNameTheOffendingSegment(String selector, String message) {
        ApSchemeException onValue = assertThrows(
                ApSchemeException.class, () -> ValueSelector.parse(selector).applyToValue(VALUE));
        assertEquals(message, onValue.getMessage());
    }

    @Test
    void schemeErrorsNameTheSegmentToo() {
        ApSchemeException error = assertThrows(
                ApSchemeException.class,
                () -> ValueSelector.parse("detectedCode.nope").applyToScheme(SCHEME));
        assertEquals("detectedCode.nope: no property 'nope' in the ApObject", error.getMessage());
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("a..b", "invalid selector 'a..b': segment 2 is empty"),
                Arguments.of(".a", "invalid selector '.a': segment 1 is empty"),
                Arguments.of("a.", "invalid selector 'a.': segment 2 is empty"),
                Arguments.of(".", "invalid selector '.': segment 1 is empty"),
                Arguments.of("a. .b", "invalid selector 'a. .b': segment 2 is empty"),
                Arguments.of(" ", "invalid selector ' ': segment 1 is empty"),
                Arguments.of("items.-1", "invalid selector 'items.-1': segment 2 ('-1') is a negative index"),
                Arguments.of(
                        "items.99999999999",
                        "invalid selector 'items.99999999999': segment 2 ('99999999999') is too large an index"));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("invalid")
    void refusesMalformedSelectorsWhenParsed(String selector, String message) {
        ApSchemeException error = assertThrows(ApSchemeException.class, () -> ValueSelector.parse(selector));
        assertEquals(message, error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "a.b", "components.0", "x-y.0.z", "-"})
    void keepsItsTextAndEqualsByIt(String selector) {
        assertEquals(selector, ValueSelector.parse(selector).toString());
        assertEquals(ValueSelector.parse(selector), ValueSelector.parse(selector));
        assertEquals(
                ValueSelector.parse(selector).hashCode(),
                ValueSelector.parse(selector).hashCode());
        assertNotEquals(ValueSelector.parse(selector), ValueSelector.parse(selector + ".z"));
    }

    @Test
    void aSelectedSchemeIsWhatTheNextStepIsCheckedAgainst() {
        ApElement selected = ValueSelector.parse("detectedCode.components.0").applyToScheme(SCHEME);
        assertTrue(SchemeCompatibility.fits(selected, ApString.template()).ok());
        assertEquals(
                List.of(new Mismatch("", "expected ApString, got ApObject")),
                SchemeCompatibility.fits(ValueSelector.parse("detectedCode").applyToScheme(SCHEME), ApString.template())
                        .mismatches());
    }
}
