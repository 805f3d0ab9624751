package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemeCompatibilityTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-24T06:09:19Z"), ZoneOffset.UTC);
    private static final UUID FILE = UUID.fromString("16cf7a41-7ff8-492a-ab05-0ad0c724df75");

    static List<ApElement> templatesOfEveryType() {
        return List.of(
                ApBool.template(),
                ApString.template(),
                ApInt.template(),
                ApDecimal.template(),
                ApDateTime.template(CLOCK),
                ApEnum.template(List.of("A")),
                ApFile.template(List.of("image/png")),
                ApList.template(ApString.template()),
                ApObject.of(Map.of()));
    }

    /** Every pair of types: equal types fit, and ApInt → ApDecimal is the only widening. */
    static Stream<Arguments> typePairs() {
        List<Arguments> pairs = new ArrayList<>();
        for (ApElement a : templatesOfEveryType()) {
            for (ApElement b : templatesOfEveryType()) {
                boolean fits = a.typeName().equals(b.typeName()) || (a instanceof ApInt && b instanceof ApDecimal);
                pairs.add(Arguments.of(a.typeName(), b.typeName(), a, b, fits));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{0} into {1}")
    @MethodSource("typePairs")
    void typesMustBeEqualExceptIntIntoDecimal(String aType, String bType, ApElement a, ApElement b, boolean fits) {
        Fit fit = SchemeCompatibility.fits(a, b);
        if (fits) {
            assertSame(Fit.OK, fit);
        } else {
            assertEquals(List.of(new Mismatch("", "expected " + bType + ", got " + aType)), fit.mismatches());
        }
    }

    @Test
    void leafValuesAreNotComparedOnlyTheirTypes() {
        assertTrue(SchemeCompatibility.fits(new ApString("any"), ApString.template())
                .ok());
        assertTrue(SchemeCompatibility.fits(ApInt.of(5), ApInt.withoutDefault()).ok());
        assertTrue(SchemeCompatibility.fits(ApDecimal.of("1.25"), ApDecimal.of("9"))
                .ok());
        assertTrue(SchemeCompatibility.fits(new ApBool(true), ApBool.template()).ok());
    }

    static Stream<Arguments> enums() {
        List<String> cases = List.of("GoogleGemini", "MistralPixtral");
        return Stream.of(
                // value against the scheme's cases
                Arguments.of(ApEnum.of("GoogleGemini"), ApEnum.template(cases), null),
                Arguments.of(
                        ApEnum.of("OpenAiGpt"),
                        ApEnum.template(cases),
                        "'OpenAiGpt' is not one of the supported cases [GoogleGemini, MistralPixtral]"),
                // cases compare exactly
                Arguments.of(
                        ApEnum.of("googlegemini"),
                        ApEnum.template(cases),
                        "'googlegemini' is not one of the supported cases [GoogleGemini, MistralPixtral]"),
                // an empty value is a scheme: not checked, whatever its cases
                Arguments.of(ApEnum.template(List.of("Other")), ApEnum.template(cases), null),
                // a scheme without cases accepts any value
                Arguments.of(ApEnum.of("Anything"), ApEnum.of(""), null),
                // the value side's own cases do not matter
                Arguments.of(new ApEnum("GoogleGemini", List.of("X")), ApEnum.template(cases), null));
    }

    @ParameterizedTest(name = "[{index}] {0} into {1}")
    @MethodSource("enums")
    void enumValueMustBeASupportedCase(ApEnum a, ApEnum b, String reason) {
        assertFit(a, b, reason == null ? List.of() : List.of(new Mismatch("", reason)));
    }

    static Stream<Arguments> files() {
        List<String> images = List.of("image/jpeg", "image/png");
        return Stream.of(
                Arguments.of(ApFile.of(FILE, "image/jpeg"), ApFile.template(images), null),
                Arguments.of(
                        ApFile.of(FILE, "application/pdf"),
                        ApFile.template(images),
                        "content type 'application/pdf' is not one of the supported content types [image/jpeg, image/png]"),
                // MIME types compare ignoring case
                Arguments.of(ApFile.of(FILE, "IMAGE/PNG"), ApFile.template(images), null),
                // a scheme (no concrete content type) is not checked
                Arguments.of(ApFile.template(List.of("text/plain")), ApFile.template(images), null),
                // a scheme without supported types accepts any file
                Arguments.of(ApFile.of(FILE, "application/pdf"), ApFile.template(List.of()), null));
    }

    @ParameterizedTest(name = "[{index}] {0} into {1}")
    @MethodSource("files")
    void concreteFileContentTypeMustBeSupported(ApFile a, ApFile b, String reason) {
        assertFit(a, b, reason == null ? List.of() : List.of(new Mismatch("", reason)));
    }

    @Test
    void everyListItemMustFitTheTemplate() {
        ApList scheme = ApList.template(ApDecimal.template());
        assertFit(ApList.of(ApDecimal.of("1.5"), ApInt.of(2)), scheme, List.of());
        assertFit(
                ApList.of(ApDecimal.of("1"), new ApString("2"), ApDecimal.of("3"), new ApBool(true)),
                scheme,
                List.of(
                        new Mismatch("items[1]", "expected ApDecimal, got ApString"),
                        new Mismatch("items[3]", "expected ApDecimal, got ApBool")));
    }

    @Test
    void anEmptyListFits() {
        assertFit(ApList.of(), ApList.template(ApString.template()), List.of());
    }

    @Test
    void onlyTheFirstItemOfTheSchemeIsTheTemplate() {
        ApList scheme = ApList.of(ApString.template(), ApInt.template());
        assertFit(ApList.of(new ApString("a")), scheme, List.of());
        assertFit(ApList.of(ApInt.of(1)), scheme, List.of(new Mismatch("items[0]", "expected ApString, got ApInt")));
    }

    @Test
    void aListSchemeWithoutTemplateAcceptsAnyItems() {
        assertFit(ApList.of(new ApString("a"), ApInt.of(1)), ApList.of(), List.of());
    }

    @Test
    void requiredPropertiesMustExistAndFit() {
        ApObject scheme = ApObject.of(ordered("name", ApString.template(), "count", ApInt.template()));
        assertFit(ApObject.of(ordered("name", new ApString("n"), "count", ApInt.of(1))), scheme, List.of());
        assertFit(
                ApObject.of(Map.of("name", new ApString("n"))),
                scheme,
                List.of(new Mismatch("properties.count", "required property is missing")));
        assertFit(
                ApObject.of(ordered("name", ApInt.of(1), "count", new ApString("1"))),
                scheme,
                List.of(
                        new Mismatch("properties.name", "expected ApString, got ApInt"),
                        new Mismatch("properties.count", "expected ApInt, got ApString")));
    }

    @Test
    void propertyNamesMatchIgnoringCase() {
        ApObject scheme = ApObject.of(Map.of("detectedCode", ApString.template()));
        assertFit(ApObject.of(Map.of("DETECTEDCODE", new ApString("x"))), scheme, List.of());
        assertFit(
                ApObject.of(Map.of("DetectedCode", ApInt.of(1))),
                scheme,
                List.of(new Mismatch("properties.detectedCode", "expected ApString, got ApInt")));
    }

    @Test
    void optionalPropertiesMayBeAbsentButMustFitWhenPresent() {
        ApObject scheme =
                new ApObject(ordered("text", ApString.template(), "times", ApInt.template()), List.of("TIMES"));
        assertFit(ApObject.of(Map.of("text", new ApString("t"))), scheme, List.of());
        assertFit(
                ApObject.of(ordered("text", new ApString("t"), "times", new ApString("two"))),
                scheme,
                List.of(new Mismatch("properties.times", "expected ApInt, got ApString")));
    }

    @Test
    void extraPropertiesAreIgnored() {
        ApObject scheme = ApObject.of(Map.of("a", ApBool.template()));
        assertFit(ApObject.of(ordered("a", new ApBool(true), "extra", ApInt.of(1))), scheme, List.of());
    }

    @Test
    void nonRequiredPropertiesOfTheValueSideDoNotRelaxTheScheme() {
        ApObject scheme = ApObject.of(Map.of("a", ApBool.template()));
        assertFit(
                new ApObject(Map.of(), List.of("a")),
                scheme,
                List.of(new Mismatch("properties.a", "required property is missing")));
    }

    @Test
    void reportsNestedPathsThroughListsAndObjects() {
        ApObject scheme = ApObject.of(Map.of(
                "rows", ApList.template(ApObject.of(Map.of("file", ApFile.template(List.of("image/png")))))));
        ApObject value = ApObject.of(Map.of(
                "rows",
                ApList.of(
                        ApObject.of(Map.of("file", ApFile.of(FILE, "image/png"))),
                        ApObject.of(Map.of("file", ApFile.of(FILE, "image/gif"))))));
        Fit fit = SchemeCompatibility.fits(value, scheme);
        assertEquals(
                "properties.rows.items[1].properties.file: content type 'image/gif' is not one of the supported content types [image/png]",
                fit.first().toString());
    }

    @Test
    void stopsReportingAtTheLimit() {
        List<ApElement> wrong = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            wrong.add(new ApString("x"));
        }
        Fit fit = SchemeCompatibility.fits(new ApList(wrong), ApList.template(ApInt.template()));
        assertEquals(SchemeCompatibility.MAX_MISMATCHES, fit.mismatches().size());
        assertEquals("items[0]", fit.first().path());
        assertEquals("items[99]", fit.mismatches().get(99).path());
    }

    @Test
    void fitOkHasNoFirstMismatch() {
        assertTrue(Fit.OK.ok());
        assertEquals("fits", Fit.OK.toString());
        assertThrows(IllegalStateException.class, Fit.OK::first);
    }

    private static void assertFit(ApElement a, ApElement b, List<Mismatch> expected) {
        assertEquals(expected, SchemeCompatibility.fits(a, b).mismatches());
    }

    static Map<String, ApElement> ordered(String k1, ApElement v1, String k2, ApElement v2) {
        Map<String, ApElement> map = new LinkedHashMap<>();
        map.put(k1, v1);
        map.put(k2, v2);
        return map;
    }
}
