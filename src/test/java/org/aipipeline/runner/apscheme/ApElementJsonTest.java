package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ApElementJsonTest {

    private final ApElementJson json = new ApElementJson();

    /** Wire form (as published, with the single quotes made double) and the element it means. */
    static Stream<Arguments> wellFormed() {
        UUID id = UUID.fromString("e9ecec8e-bf34-409e-80e4-7cd1ae651c81");
        Map<String, ApElement> properties = new LinkedHashMap<>();
        properties.put("b", new ApString("x"));
        properties.put("a", ApInt.of(1));
        return Stream.of(
                Arguments.of("{'type':'ApBool','value':true}", new ApBool(true)),
                Arguments.of("{'type':'ApBool','value':false}", new ApBool(false)),
                Arguments.of("{'type':'ApBool','value':'True'}", new ApBool(true)),
                Arguments.of("{'type':'ApBool','value':'false'}", new ApBool(false)),
                Arguments.of("{'type':'ApString','value':'my own string'}", new ApString("my own string")),
                Arguments.of("{'type':'ApString','value':''}", new ApString("")),
                Arguments.of("{'type':'ApInt','value':455}", ApInt.of(455)),
                Arguments.of("{'type':'ApInt','value':-7}", ApInt.of(-7)),
                Arguments.of("{'type':'ApInt','value':'3'}", ApInt.of(3)),
                Arguments.of("{'type':'ApInt','value':3.0}", ApInt.of(3)),
                Arguments.of("{'type':'ApInt','value':1E+2}", ApInt.of(100)),
                Arguments.of("{'type':'ApInt','value':''}", ApInt.withoutDefault()),
                Arguments.of("{'type':'ApInt','value':null}", ApInt.withoutDefault()),
                Arguments.of(
                        "{'type':'ApInt','value':123456789012345678901234567890}",
                        new ApInt(new BigInteger("123456789012345678901234567890"))),
                Arguments.of("{'type':'ApDecimal','value':3.00123345004}", ApDecimal.of("3.00123345004")),
                Arguments.of("{'type':'ApDecimal','value':0}", ApDecimal.of("0")),
                Arguments.of("{'type':'ApDecimal','value':'2.50'}", ApDecimal.of("2.50")),
                Arguments.of("{'type':'ApDecimal','value':''}", ApDecimal.withoutDefault()),
                Arguments.of(
                        "{'type':'ApDateTime','value':'2024-01-24T06:09:19.384957Z'}",
                        new ApDateTime(OffsetDateTime.parse("2024-01-24T06:09:19.384957Z"))),
                Arguments.of(
                        "{'type':'ApDateTime','value':'2024-01-24T08:09:19+02:00'}",
                        new ApDateTime(OffsetDateTime.parse("2024-01-24T08:09:19+02:00"))),
                Arguments.of(
                        "{'type':'ApDateTime','value':'2024-01-24T06:09:19'}",
                        new ApDateTime(OffsetDateTime.parse("2024-01-24T06:09:19Z"))),
                Arguments.of("{'type':'ApEnum','value':'GoogleGemini'}", ApEnum.of("GoogleGemini")),
                Arguments.of(
                        "{'type':'ApEnum','value':'','supportedCases':['A','B']}", ApEnum.template(List.of("A", "B"))),
                Arguments.of("{'type':'ApEnum','value':'A','supportedCases':null}", ApEnum.of("A")),
                Arguments.of(
                        "{'type':'ApFile','id':'e9ecec8e-bf34-409e-80e4-7cd1ae651c81','contentType':'image/jpeg'}",
                        ApFile.of(id, "image/jpeg")),
                Arguments.of(
                        "{'type':'ApFile','id':'E9ECEC8E-BF34-409E-80E4-7CD1AE651C81','contentType':'image/jpeg'}",
                        ApFile.of(id, "image/jpeg")),
                Arguments.of(
                        "{'type':'ApFile','id':'00000000-0000-0000-0000-000000000000','contentType':'',"
                                + "'supportedContentTypes':['image/jpeg','image/png']}",
                        ApFile.template(List.of("image/jpeg", "image/png"))),
                Arguments.of("{'type':'ApList','items':[]}", ApList.of()),
                Arguments.of(
                        "{'type':'ApList','items':[{'type':'ApString','value':'1'},{'type':'ApString','value':'2'}]}",
                        ApList.of(new ApString("1"), new ApString("2"))),
                Arguments.of(
                        "{'type':'ApObject','properties':{'b':{'type':'ApString','value':'x'},"
                                + "'a':{'type':'ApInt','value':1}}}",
                        ApObject.of(properties)),
                Arguments.of(
                        "{'type':'ApObject','properties':{},'nonRequiredProperties':['x']}",
                        new ApObject(Map.of(), List.of("x"))),
                // type need not come first, unknown fields are tolerated
                Arguments.of("{'value':'late','type':'ApString'}", new ApString("late")),
                Arguments.of("{'type':'ApString','value':'x','extra':{'deep':[[{}],1,null]}}", new ApString("x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void readsEveryTypeInItsWireForm(String wire, ApElement expected) {
        ApElement parsed = json.parse(quotes(wire));
        assertEquals(expected, parsed);
        assertEquals(expected, json.parse(json.print(parsed)), "print then parse is the identity");
        assertEquals(expected, json.parse(json.toJsonObject(parsed), "input"));
    }

    /** Canonical output: type first, every field of the type, exact numbers. */
    static Stream<Arguments> printed() {
        return Stream.of(
                Arguments.of(new ApBool(true), "{'type':'ApBool','value':true}"),
                Arguments.of(new ApString("a\"b"), "{'type':'ApString','value':'a\\'b'}"),
                Arguments.of(ApInt.of(42), "{'type':'ApInt','value':42}"),
                Arguments.of(ApInt.withoutDefault(), "{'type':'ApInt','value':''}"),
                Arguments.of(ApDecimal.of("3.00"), "{'type':'ApDecimal','value':3.00}"),
                Arguments.of(ApDecimal.of("1E+3"), "{'type':'ApDecimal','value':1E+3}"),
                Arguments.of(ApDecimal.withoutDefault(), "{'type':'ApDecimal','value':''}"),
                Arguments.of(
                        new ApDateTime(OffsetDateTime.parse("2024-01-24T08:09:00+02:00")),
                        "{'type':'ApDateTime','value':'2024-01-24T08:09:00+02:00'}"),
                Arguments.of(ApEnum.of("A"), "{'type':'ApEnum','value':'A','supportedCases':[]}"),
                Arguments.of(
                        ApFile.template(List.of("image/png")),
                        "{'type':'ApFile','id':'00000000-0000-0000-0000-000000000000','contentType':'',"
                                + "'supportedContentTypes':['image/png']}"),
                Arguments.of(
                        ApList.template(ApString.template()),
                        "{'type':'ApList','items':[{'type':'ApString','value':''}]}"),
                Arguments.of(
                        new ApObject(Map.of("x", new ApBool(false)), List.of("x")),
                        "{'type':'ApObject','properties':{'x':{'type':'ApBool','value':false}},"
                                + "'nonRequiredProperties':['x']}"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("printed")
    void printsTheCanonicalWireForm(ApElement element, String expected) {
        String wire = quotes(expected).replace("a'b", "a\\\"b");
        assertEquals(wire, json.print(element));
        assertEquals(Json.createReader(new StringReader(wire)).readObject(), json.toJsonObject(element));
    }

    @Test
    void keepsDecimalScaleAndDateTimeOffsetThroughARoundTrip() {
        ApDecimal decimal = (ApDecimal) json.parse("{\"type\":\"ApDecimal\",\"value\":1.500}");
        assertEquals(3, decimal.value().scale());
        assertEquals("1.500", decimal.value().toString());
        assertEquals(decimal, json.parse(json.print(decimal)));
        assertTrue(!decimal.equals(ApDecimal.of("1.5")), "1.500 and 1.5 are different representations");

        ApDateTime dateTime =
                (ApDateTime) json.parse("{\"type\":\"ApDateTime\",\"value\":\"2024-01-24T08:09:19.5+02:00\"}");
        assertEquals("+02:00", dateTime.value().getOffset().getId());
        assertEquals(dateTime, json.parse(json.print(dateTime)));
    }

    @Test
    void keepsPropertyOrderThroughARoundTrip() {
        String wire = "{\"type\":\"ApObject\",\"properties\":{\"z\":{\"type\":\"ApBool\",\"value\":true},"
                + "\"a\":{\"type\":\"ApBool\",\"value\":true},\"m\":{\"type\":\"ApBool\",\"value\":true}},"
                + "\"nonRequiredProperties\":[]}";
        ApObject object = (ApObject) json.parse(wire);
        assertEquals(List.of("z", "a", "m"), List.copyOf(object.properties().keySet()));
        assertEquals(wire, json.print(object));
    }

    @Test
    void readsNestedListsOfObjects() {
        String wire = "{'type':'ApList','items':[{'type':'ApObject','properties':{'rows':{'type':'ApList','items':["
                + "{'type':'ApObject','properties':{'n':{'type':'ApInt','value':1}}},"
                + "{'type':'ApObject','properties':{'n':{'type':'ApInt','value':2}}}]}}}]}";
        ApList outer = (ApList) json.parse(quotes(wire));
        ApList rows = (ApList) ((ApObject) outer.items().get(0)).property("rows");
        assertEquals(ApInt.of(2), ((ApObject) rows.items().get(1)).property("n"));
        assertEquals(outer, json.parse(json.print(outer)));
    }

    @Test
    void readsFromReaderAndWritesToAWriterLeftOpen() {
        ApElement element = ApList.of(ApInt.of(1));
        StringWriter out = new StringWriter();
        json.print(element, out);
        out.write(" ");
        assertEquals(element, json.parse(new StringReader(out.toString()), "input"));
    }

    /** Malformed input and the exact error: path, then reason. */
    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("{'value':true}", "input: missing \"type\""),
                Arguments.of("{'type':'ApThing','value':1}", "input.type: unknown type 'ApThing'"),
                Arguments.of("{'type':'apstring','value':'x'}", "input.type: unknown type 'apstring'"),
                Arguments.of("{'type':3,'value':1}", "input.type: expected a string, got a number"),
                Arguments.of("{'type':'ApBool'}", "input: missing \"value\""),
                Arguments.of("{'type':'ApBool','value':1}", "input.value: expected a boolean, got a number"),
                Arguments.of("{'type':'ApBool','value':'yes'}", "input.value: not a boolean: 'yes'"),
                Arguments.of("{'type':'ApBool','value':null}", "input.value: expected a boolean, got null"),
                Arguments.of("{'type':'ApString','value':3}", "input.value: expected a string, got a number"),
                Arguments.of("{'type':'ApString','value':null}", "input.value: expected a string, got null"),
                Arguments.of("{'type':'ApString','value':['a']}", "input.value: expected a string, got an array"),
                Arguments.of("{'type':'ApString'}", "input: missing \"value\""),
                Arguments.of("{'type':'ApInt','value':3.5}", "input.value: not an integer: 3.5"),
                Arguments.of("{'type':'ApInt','value':'3.5'}", "input.value: not an integer: 3.5"),
                Arguments.of("{'type':'ApInt','value':'three'}", "input.value: not an integer: 'three'"),
                Arguments.of("{'type':'ApInt','value':true}", "input.value: expected an integer, got a boolean"),
                Arguments.of("{'type':'ApInt','value':1E+1001}", "input.value: integer longer than 1000 digits"),
                Arguments.of("{'type':'ApInt','value':1E-999999999}", "input.value: not an integer: 1E-999999999"),
                Arguments.of("{'type':'ApDecimal','value':'1,5'}", "input.value: not a number: '1,5'"),
                Arguments.of("{'type':'ApDecimal','value':{}}", "input.value: expected a number, got an object"),
                Arguments.of(
                        "{'type':'ApDateTime','value':'yesterday'}",
                        "input.value: not an ISO-8601 date-time: 'yesterday'"),
                Arguments.of("{'type':'ApDateTime','value':''}", "input.value: not an ISO-8601 date-time: ''"),
                Arguments.of(
                        "{'type':'ApDateTime','value':1706076559}", "input.value: expected a string, got a number"),
                Arguments.of("{'type':'ApEnum','value':1}", "input.value: expected a string, got a number"),
                Arguments.of(
                        "{'type':'ApEnum','value':'','supportedCases':'A'}",
                        "input.supportedCases: expected an array of strings, got a string"),
                Arguments.of(
                        "{'type':'ApEnum','value':'','supportedCases':['A',2]}",
                        "input.supportedCases[1]: expected a string, got a number"),
                Arguments.of("{'type':'ApFile','id':'nope','contentType':''}", "input.id: not a uuid"),
                Arguments.of("{'type':'ApFile','id':'1-2-3-4-5','contentType':''}", "input.id: not a uuid"),
                Arguments.of(
                        "{'type':'ApFile','id':'e9ecec8e-bf34-409e-80e4-7cd1ae65zzzz','contentType':''}",
                        "input.id: not a uuid"),
                Arguments.of("{'type':'ApFile','id':7,'contentType':''}", "input.id: expected a string, got a number"),
                Arguments.of("{'type':'ApFile','contentType':''}", "input: missing \"id\""),
                Arguments.of(
                        "{'type':'ApFile','id':'00000000-0000-0000-0000-000000000000'}",
                        "input: missing \"contentType\""),
                Arguments.of(
                        "{'type':'ApFile','id':'00000000-0000-0000-0000-000000000000','contentType':'','supportedContentTypes':{}}",
                        "input.supportedContentTypes: expected an array of strings, got an object"),
                Arguments.of("{'type':'ApList'}", "input: missing \"items\""),
                Arguments.of(
                        "{'type':'ApList','items':{}}", "input.items: expected an array of ApElements, got an object"),
                Arguments.of(
                        "{'type':'ApList','items':[1]}", "input.items[0]: expected an ApElement object, got a number"),
                Arguments.of(
                        "{'type':'ApList','items':[{'type':'ApBool','value':true},{'type':'ApBool'}]}",
                        "input.items[1]: missing \"value\""),
                Arguments.of("{'type':'ApObject'}", "input: missing \"properties\""),
                Arguments.of(
                        "{'type':'ApObject','properties':[]}",
                        "input.properties: expected an object of ApElements, got an array"),
                Arguments.of(
                        "{'type':'ApObject','properties':{'a':'x'}}",
                        "input.properties.a: expected an ApElement object, got a string"),
                Arguments.of(
                        "{'type':'ApObject','properties':{'image':{'type':'ApFile','id':'x','contentType':''}}}",
                        "input.properties.image.id: not a uuid"),
                Arguments.of(
                        "{'type':'ApObject','properties':{'a':{'type':'ApBool','value':true},'a':{'type':'ApBool','value':true}}}",
                        "input.properties.a: duplicate property"),
                Arguments.of(
                        "{'type':'ApObject','properties':{'a':{'type':'ApBool','value':true},'A':{'type':'ApBool','value':true}}}",
                        "input.properties.A: duplicate property (names ignore case)"),
                Arguments.of(
                        "{'type':'ApObject','properties':{},'nonRequiredProperties':[null]}",
                        "input.nonRequiredProperties[0]: expected a string, got null"),
                Arguments.of("{'type':'ApString','value':'a','value':'b'}", "input: duplicate field \"value\""),
                Arguments.of("[]", "input: expected an ApElement object, got an array"),
                Arguments.of("'ApString'", "input: expected an ApElement object, got a string"),
                Arguments.of("{'type':'ApString','value':'x'} {}", "input: malformed JSON: "),
                Arguments.of("{'type':'ApString','value':'x'", "input: malformed JSON: "),
                Arguments.of(
                        "{'type':'ApList','items':[{'type':'ApString','value':x}]}",
                        "input.items[0]: malformed JSON: "),
                Arguments.of("", "input: "));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("malformed")
    void refusesMalformedInputNamingThePath(String wire, String expectedMessage) {
        ApSchemeException error = assertThrows(ApSchemeException.class, () -> json.parse(quotes(wire), "input"));
        if (expectedMessage.endsWith(": ")) {
            assertTrue(error.getMessage().startsWith(expectedMessage), () -> "message: " + error.getMessage());
        } else {
            assertEquals(expectedMessage, error.getMessage());
        }
    }

    @Test
    void separatesPathFromReason() {
        ApSchemeException error = assertThrows(
                ApSchemeException.class,
                () -> json.parse(
                        quotes(
                                "{'type':'ApObject','properties':{'image':{'type':'ApFile','id':'x','contentType':''}}}"),
                        "input"));
        assertEquals("input.properties.image.id", error.path());
        assertEquals("not a uuid", error.reason());
    }

    @Test
    void errorPathsAreRelativeWithoutARootName() {
        ApSchemeException error = assertThrows(
                ApSchemeException.class,
                () -> json.parse(quotes("{'type':'ApList','items':[{'type':'ApInt','value':'x'}]}")));
        assertEquals("items[0].value: not an integer: 'x'", error.getMessage());
    }

    @Test
    void acceptsNestingUpToTheLimitAndRefusesOneLevelMore() {
        assertEquals(64, ApElementJson.DEFAULT_MAX_DEPTH);
        assertEquals(nestedLists(64), json.parse(json.print(nestedLists(64))));
        ApSchemeException error =
                assertThrows(ApSchemeException.class, () -> json.parse(json.print(nestedLists(65)), "input"));
        assertEquals("input" + ".items[0]".repeat(64), error.path());
        assertEquals("nested deeper than 64 levels", error.reason());
    }

    @Test
    void honoursAConfiguredDepthLimitForObjectsToo() {
        ApElementJson shallow = new ApElementJson(2);
        String twoLevels = "{'type':'ApObject','properties':{'a':{'type':'ApBool','value':true}}}";
        assertEquals(ApObject.of(Map.of("a", new ApBool(true))), shallow.parse(quotes(twoLevels)));
        String threeLevels =
                "{'type':'ApObject','properties':{'a':{'type':'ApObject','properties':{'b':{'type':'ApBool','value':true}}}}}";
        ApSchemeException error = assertThrows(ApSchemeException.class, () -> shallow.parse(quotes(threeLevels), "in"));
        assertEquals("in.properties.a.properties.b: nested deeper than 2 levels", error.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ApElementJson(0));
    }

    @Test
    void survivesHugelyNestedInputWithoutStackOverflow() {
        // far deeper than any stack could recurse, as an element and as an ignored field
        String deepElements = "{\"type\":\"ApList\",\"items\":[".repeat(100_000);
        ApSchemeException error = assertThrows(ApSchemeException.class, () -> json.parse(deepElements));
        assertEquals("nested deeper than 64 levels", error.reason());
        String deepJunk =
                "{\"type\":\"ApBool\",\"value\":true,\"junk\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        // the JSON-P implementation may itself refuse such depth; either way no StackOverflowError
        try {
            assertEquals(new ApBool(true), json.parse(deepJunk));
        } catch (ApSchemeException refused) {
            assertTrue(refused.reason().startsWith("malformed JSON"), refused::getMessage);
        }
    }

    @Test
    void readsJsonValuesAndRefusesNonObjects() {
        JsonObject object = Json.createObjectBuilder()
                .add("type", "ApDecimal")
                .add("value", new BigDecimal("12.340"))
                .build();
        assertEquals(ApDecimal.of("12.340"), json.parse(object, "input"));
        ApSchemeException error =
                assertThrows(ApSchemeException.class, () -> json.parse(Json.createValue("x"), "input"));
        assertEquals("input: expected an ApElement object, got string", error.getMessage());
        assertThrows(ApSchemeException.class, () -> json.parse((jakarta.json.JsonValue) null, "input"));
    }

    @Test
    void templateWithoutDefaultIsNullAndPrintsAsEmptyString() {
        ApInt noDefault = (ApInt) json.parse("{\"type\":\"ApInt\",\"value\":\"\"}");
        assertNull(noDefault.value());
        assertEquals("{\"type\":\"ApInt\",\"value\":\"\"}", json.print(noDefault));
    }

    static ApElement nestedLists(int depth) {
        ApElement element = new ApBool(true);
        for (int level = 1; level < depth; level++) {
            element = ApList.of(element);
        }
        return element;
    }

    static String quotes(String wire) {
        return wire.replace('\'', '"');
    }
}
