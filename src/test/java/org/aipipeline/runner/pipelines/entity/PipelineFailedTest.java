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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PipelineFailedTest {

    static final String VALID = """
            {"pipelineId": "9b2e7c1d-0a4f-4e3b-8c6d-5f7a8b9c0d1e",
             "procedureIdentifier": {"nodeId": "ocr", "procedureId": "read", "orderInPipeline": 2,
                                     "outputValueSelector": "text"},
             "failedAt": "2025-03-01T10:16:00Z",
             "failureCode": 422,
             "failureReason": "The image could not be read",
             "exceptionMessage": "InvalidDataException: not a PNG",
             "remainingNotCompletedSteps": [
                {"nodeId": "word-processor", "procedureId": "repeat-string", "orderInPipeline": 3}]}
            """;

    @Test
    void readsTheSpecsFieldNames() {
        PipelineFailed message = PipelineFailed.fromJson(VALID);
        assertEquals(UUID.fromString("9b2e7c1d-0a4f-4e3b-8c6d-5f7a8b9c0d1e"), message.pipelineId());
        assertEquals(new ProcedureIdentifier("ocr", "read", 2, "text"), message.procedureIdentifier());
        assertEquals(Instant.parse("2025-03-01T10:16:00Z"), message.failedAt());
        assertEquals(422, message.failureCode());
        assertEquals("The image could not be read", message.failureReason());
        assertEquals("InvalidDataException: not a PNG", message.exceptionMessage());
        assertEquals(
                List.of(new ProcedureIdentifier("word-processor", "repeat-string", 3, null)),
                message.remainingNotCompletedSteps());
    }

    @Test
    void exceptionMessageIsOptionalAndCodesMayComeAsText() {
        PipelineFailed absent = PipelineFailed.fromJson(with(json -> Json.createObjectBuilder(json)
                .remove("exceptionMessage")
                .add("failureCode", "503")
                .build()));
        assertNull(absent.exceptionMessage());
        assertEquals(503, absent.failureCode());
        assertNull(PipelineFailed.fromJson(with(json -> Json.createObjectBuilder(json)
                        .add("exceptionMessage", JsonValue.NULL)
                        .build()))
                .exceptionMessage());
    }

    @Test
    void writesWhatItReads() {
        PipelineFailed message = PipelineFailed.fromJson(VALID);
        JsonObject written = parse(message.toJson());
        assertEquals(
                List.of(
                        "pipelineId",
                        "procedureIdentifier",
                        "failedAt",
                        "failureCode",
                        "failureReason",
                        "exceptionMessage",
                        "remainingNotCompletedSteps"),
                List.copyOf(written.keySet()));
        assertEquals(message, PipelineFailed.fromJson(message.toJson()));
        PipelineFailed without = new PipelineFailed(
                message.pipelineId(), message.procedureIdentifier(), message.failedAt(), 500, "boom", null, List.of());
        assertEquals(JsonValue.NULL, parse(without.toJson()).get("exceptionMessage"));
        assertEquals(without, PipelineFailed.fromJson(without.toJson()));
    }

    static List<Arguments> brokenMessages() {
        return List.of(
                Arguments.of("pipelineId missing", remove("pipelineId"), "pipelineId: expected a non-empty string"),
                Arguments.of(
                        "pipelineId not a uuid", set("pipelineId", Json.createValue("123")), "pipelineId: not a uuid"),
                Arguments.of(
                        "procedureIdentifier not an object",
                        set("procedureIdentifier", Json.createValue(2)),
                        "procedureIdentifier: expected an object"),
                Arguments.of(
                        "order negative",
                        nested("procedureIdentifier", "orderInPipeline", Json.createValue(-1)),
                        "procedureIdentifier.orderInPipeline: must be at least 1"),
                Arguments.of("failedAt missing", remove("failedAt"), "failedAt: expected a non-empty string"),
                Arguments.of(
                        "failedAt garbage",
                        set("failedAt", Json.createValue("2025-13-45")),
                        "failedAt: not an ISO-8601"),
                Arguments.of("failureCode missing", remove("failureCode"), "failureCode: expected an integer"),
                Arguments.of(
                        "failureCode fractional",
                        set("failureCode", Json.createValue(4.5)),
                        "failureCode: expected an integer"),
                Arguments.of(
                        "failureReason missing", remove("failureReason"), "failureReason: expected a non-empty string"),
                Arguments.of(
                        "failureReason not text",
                        set("failureReason", Json.createValue(7)),
                        "failureReason: expected a non-empty string"),
                Arguments.of(
                        "exceptionMessage not text",
                        set("exceptionMessage", Json.createValue(7)),
                        "exceptionMessage: expected a string"),
                Arguments.of(
                        "remaining missing",
                        remove("remainingNotCompletedSteps"),
                        "remainingNotCompletedSteps: expected an array"),
                Arguments.of(
                        "remaining item broken",
                        set(
                                "remainingNotCompletedSteps",
                                Json.createArrayBuilder()
                                        .add(Json.createObjectBuilder()
                                                .add("nodeId", "n")
                                                .add("procedureId", "p"))
                                        .build()),
                        "remainingNotCompletedSteps[0].orderInPipeline: expected an integer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenMessages")
    void namesTheBrokenField(String name, UnaryOperator<JsonObject> breakIt, String expected) {
        IllegalArgumentException error =
                assertThrows(IllegalArgumentException.class, () -> PipelineFailed.fromJson(with(breakIt)));
        assertTrue(
                error.getMessage().startsWith(expected),
                () -> "expected '" + expected + "…', got: " + error.getMessage());
    }

    @Test
    void bodiesThatAreNotAnObjectSaySo() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PipelineFailed.fromJson("not json at all"))
                .getMessage()
                .startsWith("PipelineFailed: not JSON"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> PipelineFailed.fromJson("\"text\""))
                .getMessage()
                .startsWith("PipelineFailed: expected a JSON object"));
    }

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
        return json -> Json.createObjectBuilder(json)
                .add(
                        object,
                        Json.createObjectBuilder(json.getJsonObject(object)).add(field, value))
                .build();
    }
}
