package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ApElementTest {

    @Test
    void templatesAreThoseTheSpecDeclares() {
        assertEquals(new ApBool(false), ApBool.template());
        assertEquals(new ApString(""), ApString.template());
        assertEquals(new ApInt(BigInteger.ZERO), ApInt.template());
        assertEquals(new ApDecimal(BigDecimal.ZERO), ApDecimal.template());
        assertNull(ApInt.withoutDefault().value());
        assertNull(ApDecimal.withoutDefault().value());
        Clock clock = Clock.fixed(Instant.parse("2024-01-24T06:09:19Z"), ZoneId.of("Europe/Prague"));
        assertEquals(new ApDateTime(OffsetDateTime.parse("2024-01-24T06:09:19Z")), ApDateTime.template(clock));
        assertEquals(new ApEnum("", List.of("A")), ApEnum.template(List.of("A")));
        assertEquals(new ApFile(new UUID(0, 0), "", List.of("image/png")), ApFile.template(List.of("image/png")));
        assertEquals("00000000-0000-0000-0000-000000000000", ApFile.NIL_ID.toString());
        assertEquals(
                List.of(ApString.template()),
                ApList.template(ApString.template()).items());
    }

    @Test
    void typeNamesAreTheWireDiscriminators() {
        assertEquals(
                List.of(
                        "ApBool",
                        "ApString",
                        "ApInt",
                        "ApDecimal",
                        "ApDateTime",
                        "ApEnum",
                        "ApFile",
                        "ApList",
                        "ApObject"),
                SchemeCompatibilityTest.templatesOfEveryType().stream()
                        .map(ApElement::typeName)
                        .toList());
    }

    @Test
    void elementsCannotBeChangedThroughTheCollectionsTheyWereMadeFrom() {
        List<String> cases = new ArrayList<>(List.of("A"));
        ApEnum enumeration = ApEnum.template(cases);
        cases.add("B");
        assertEquals(List.of("A"), enumeration.supportedCases());
        assertThrows(
                UnsupportedOperationException.class,
                () -> enumeration.supportedCases().add("C"));

        List<ApElement> items = new ArrayList<>(List.of(new ApBool(true)));
        ApList list = new ApList(items);
        items.clear();
        assertEquals(1, list.items().size());
        assertThrows(UnsupportedOperationException.class, () -> list.items().clear());

        Map<String, ApElement> properties = new LinkedHashMap<>(Map.of("a", new ApBool(true)));
        ApObject object = ApObject.of(properties);
        properties.put("b", new ApBool(false));
        assertEquals(List.of("a"), List.copyOf(object.properties().keySet()));
        assertThrows(
                UnsupportedOperationException.class, () -> object.properties().remove("a"));
        assertThrows(
                UnsupportedOperationException.class,
                () -> object.nonRequiredProperties().add("a"));

        List<String> types = new ArrayList<>(List.of("image/png"));
        ApFile file = ApFile.template(types);
        types.clear();
        assertEquals(List.of("image/png"), file.supportedContentTypes());
    }

    @Test
    void nullsAreRefusedWhereTheyMeanNothing() {
        assertThrows(NullPointerException.class, () -> new ApString(null));
        assertThrows(NullPointerException.class, () -> new ApDateTime(null));
        assertThrows(NullPointerException.class, () -> new ApEnum(null, List.of()));
        assertThrows(NullPointerException.class, () -> ApFile.of(null, ""));
        assertThrows(NullPointerException.class, () -> ApList.of((ApElement) null));
        Map<String, ApElement> nullValue = new HashMap<>();
        nullValue.put("a", null);
        assertThrows(NullPointerException.class, () -> ApObject.of(nullValue));
    }

    @Test
    void propertyNamesDifferingOnlyInCaseAreRefused() {
        Map<String, ApElement> small = new LinkedHashMap<>();
        small.put("name", new ApBool(true));
        small.put("NAME", new ApBool(true));
        assertThrows(IllegalArgumentException.class, () -> ApObject.of(small));
        Map<String, ApElement> large = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            large.put("p" + i, new ApBool(true));
        }
        ApObject.of(large);
        large.put("P7", new ApBool(true));
        assertThrows(IllegalArgumentException.class, () -> ApObject.of(large));
    }

    @Test
    void objectLookupAndRequirednessIgnoreCase() {
        ApObject object = new ApObject(Map.of("imageFile", new ApBool(true)), List.of("IMAGEFILE"));
        assertEquals(new ApBool(true), object.property("ImageFile"));
        assertNull(object.property("image"));
        assertEquals(false, object.isRequired("imagefile"));
        assertEquals(true, object.isRequired("other"));
    }

    @Test
    void equalityIsExactRepresentationButIgnoresPropertyOrder() {
        assertNotEquals(ApDecimal.of("1.0"), ApDecimal.of("1.00"));
        assertNotEquals(
                new ApDateTime(OffsetDateTime.parse("2024-01-24T08:00+02:00")),
                new ApDateTime(OffsetDateTime.parse("2024-01-24T06:00Z")));
        assertNotEquals(ApInt.of(1), ApDecimal.of("1"));
        assertEquals(
                ApObject.of(SchemeCompatibilityTest.ordered("a", new ApBool(true), "b", new ApBool(false))),
                ApObject.of(SchemeCompatibilityTest.ordered("b", new ApBool(false), "a", new ApBool(true))));
    }
}
