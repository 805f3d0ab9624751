package org.aipipeline.runner.pipelines.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.aipipeline.runner.apscheme.ApString;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StepCompletedTest {

    static final String VALID = """
            {"pipelineId": "3f2c8a9e-6d1b-4c5e-9a7f-0b1c2d3e4f50",
             "procedureIdentifier": {"nodeId": "word-processor", "procedureId": "repeat-string",
                                     "orderInPipeline": 1, "outputValueSelector": null},
             "completedAt": "2025-03-01T10:15:30.1234567Z",
             "result": {"type": "ApString", "value": "hellohello"},
             "nextSteps": [{"nodeId": "ocr", "procedureId": "read", "orderInPipeline": 2, "outputValueSelector": "text"}]}
            """;

    @Test
    void readsTheSpecsFieldNames() {
        StepCompleted message = StepCompleted.fromJson(VALID);
        assertEquals(UUID.fromString("3f2c8a9e-6d1b-4c5e-9a7f-0b1c2d3e4f50"), message.pipelineId());
        assertEquals(
                new ProcedureIdentifier("word-processor", "repeat-string", 1, null), message.procedureIdentifier());
        assertEquals(Instant.parse("2025-03-01T10:15:30.1234567Z"), message.completedAt());
        assertEquals(new ApString("hellohello"), message.result());
        assertEquals(List.of(new ProcedureIdentifier("ocr", "read", 2, "text")), message.nextSteps());
        assertEquals(1, message.order());
    }

    @Test
    void acceptsATimestampWithoutOffsetAsUtcAndAnEmptyNextSteps() {
        StepCompleted message = StepCompleted.fromJson(with(json -> Json.createObjectBuilder(json)
                .add("completedAt", "2025-03-01T10:15:30")
                .add("nextSteps", JsonValue.EMPTY_JSON_ARRAY)
                .build()));
        assertEquals(Instant.parse("2025-03-01T10:15:30Z"), message.completedAt());
        assertTrue(message.nextSteps().isEmpty());
    }

    @Test
    void writesWhatItReads() {
        StepCompleted message = StepCompleted.fromJson(VALID);
        JsonObject written = parse(message.toJson());
        assertEquals(
                List.of("pipelineId", "procedureIdentifier", "completedAt", "result", "nextSteps"),
                List.copyOf(written.keySet()));
        assertEquals(message, StepCompleted.fromJson(message.toJson()));
        assertEquals(
                JsonValue.NULL, written.getJsonObject("procedureIdentifier").get("outputValueSelector"));
    }

    static List<Arguments> brokenMessages() {
        return List.of(
                Arguments.of("pipelineId missing", remove("pipelineId"), "pipelineId: expected a non-empty string"),
                Arguments.of(
                        "pipelineId not a uuid", set("pipelineId", Json.createValue("nope")), "pipelineId: not a uuid"),
                Arguments.of(
                        "procedureIdentifier missing",
                        remove("procedureIdentifier"),
                        "procedureIdentifier: expected an object"),
                Arguments.of(
                        "nodeId missing", nested("procedureIdentifier", "nodeId", null), "procedureIdentifier.nodeId"),
                Arguments.of(
                        "procedureId blank",
                        nested("procedureIdentifier", "procedureId", Json.createValue(" ")),
                        "procedureIdentifier.procedureId"),
                Arguments.of(
                        "order not a number",
                        nested("procedureIdentifier", "orderInPipeline", Json.createValue("first")),
                        "procedureIdentifier.orderInPipeline: expected an integer"),
                Arguments.of(
                        "order zero",
                        nested("procedureIdentifier", "orderInPipeline", Json.createValue(0)),
                        "procedureIdentifier.orderInPipeline: must be at least 1"),
                Arguments.of(
                        "order huge",
                        nested("procedureIdentifier", "orderInPipeline", Json.createValue(1e20)),
                        "procedureIdentifier.orderInPipeline"),
                Arguments.of("completedAt missing", remove("completedAt"), "completedAt: expected a non-empty string"),
                Arguments.of(
                        "completedAt garbage",
                        set("completedAt", Json.createValue("yesterday")),
                        "completedAt: not an ISO-8601"),
                Arguments.of("result missing", remove("result"), "result: expected an ApElement object"),
                Arguments.of(
                        "result unknown type",
                        set(
                                "result",
                                Json.createObjectBuilder().add("type", "ApBlob").build()),
                        "result"),
                Arguments.of(
                        "result wrong value",
                        set(
                                "result",
                                Json.createObjectBuilder()
                                        .add("type", "ApInt")
                                        .add("value", "x")
                                        .build()),
                        "result"),
                Arguments.of("nextSteps missing", remove("nextSteps"), "nextSteps: expected an array"),
                Arguments.of(
                        "nextSteps not an array",
                        set("nextSteps", Json.createValue("none")),
                        "nextSteps: expected an array"),
                Arguments.of(
                        "nextSteps item broken",
                        set(
                                "nextSteps",
                                Json.createArrayBuilder()
                                        .add(Json.createObjectBuilder()
                                                .add("nodeId", "n")
                                                .add("orderInPipeline", 2))
                                        .build()),
                        "nextSteps[0].procedureId"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMessages")
    void namesTheBrokenField(String name, UnaryOperator<JsonObject> breakIt, String expected) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> StepCompleted.fromJson(with(breakIt)));
        assertTrue(
                error.getMessage().startsWith(expected),
                () -> "expected '" + expected + "…', got: " + error.getMessage());
    }

    @Test
    void bodiesThatAreNotAnObjectSaySo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StepCompleted.fromJson("{nope"))
                .getMessage()
                .startsWith("StepCompleted: not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StepCompleted.fromJson("[1]"))
                .getMessage()
                .startsWith("StepCompleted: expected a JSON object"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> StepCompleted.fromJson(""))
                .getMessage()
                .startsWith("StepCompleted: empty body"));
    }

    // ---- building broken variants of the valid message -----------------------------------------

    static JsonObject parse(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    static String with(UnaryOperator<JsonObject> change) {
        return change.apply(parse(VALID)).toString();
    }

    static UnaryOperator<JsonObject> remove(String field) {
        return json -> Json.createObjectBuilder(json).remove(field).build();
    }

    static UnaryOperator<JsonObject> set(String field, JsonValue value) {
        return json -> Json.createObjectBuilder(json).add(field, value).build();
    }

    static UnaryOperator<JsonObject> nested(String object, String field, JsonValue value) {
        return json -> {
            var inner = Json.createObjectBuilder(json.getJsonObject(object));
            if (value == null) {
                inner.remove(field);
            } else {
                inner.add(field, value);
            }
            return Json.createObjectBuilder(json).add(object, inner).build();
        };
    }

    @Test
    void selectorMayBeAbsent() {
        StepCompleted message =
                StepCompleted.fromJson(with(nested("procedureIdentifier", "outputValueSelector", null)));
        assertNull(message.procedureIdentifier().outputValueSelector());
    }
}
