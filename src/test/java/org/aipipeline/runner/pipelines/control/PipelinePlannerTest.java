package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.results.control.RetryPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rule of the planner on the original platform's published OCR → post-processing example. */
class PipelinePlannerTest {

    static final String OCR_INPUT = """
            {"type":"ApObject","properties":{
              "detectorType":{"type":"ApEnum","value":"","supportedCases":["GoogleGemini","MistralPixtral"]},
              "image":{"type":"ApFile","id":"00000000-0000-0000-0000-000000000000","contentType":"",
                       "supportedContentTypes":["image/jpeg","image/png","image/webp"]}},
             "nonRequiredProperties":[]}""";
    static final String OCR_OUTPUT = """
            {"type":"ApObject","properties":{"detectedCode":{"type":"ApString","value":""},
              "estimatedCosts":{"type":"ApObject","properties":{"estimatedCost":{"type":"ApDecimal","value":0}},
                                "nonRequiredProperties":[]}},
             "nonRequiredProperties":["estimatedCosts"]}""";
    static final String POST_INPUT = "{\"type\":\"ApString\",\"value\":\"\"}";
    static final String POST_OUTPUT = """
            {"type":"ApObject","properties":{"rawCode":{"type":"ApString","value":""}},"nonRequiredProperties":[]}""";

    static final UUID USER = UUID.randomUUID();
    static final UUID IMAGE = UUID.fromString("16cf7a41-7ff8-492a-ab05-0ad0c724df75");
    static final UUID PDF = UUID.randomUUID();
    static final UUID FOREIGN = UUID.randomUUID();

    static final ApElementJson AP = new ApElementJson();

    static final ProcedureCatalog CATALOG = ProcedureCatalog.of(
            new RegisteredProcedure(
                    "ocr", "PerformSingleOcr", "1.0", AP.parse(OCR_INPUT), AP.parse(OCR_OUTPUT), null, true),
            new RegisteredProcedure(
                    "post", "Postprocess", "1.0", AP.parse(POST_INPUT), AP.parse(POST_OUTPUT), null, true),
            new RegisteredProcedure(
                    "stale", "Postprocess", "1.0", AP.parse(POST_INPUT), AP.parse(POST_OUTPUT), null, false));

    static final OwnedFiles FILES = (user, ids) -> Stream.of(
                    new StoredFile(IMAGE, USER, "tire.jpg", null, "image/jpeg", 10, "Local", "/f/1", Instant.EPOCH),
                    new StoredFile(PDF, USER, "doc.pdf", null, "application/pdf", 10, "Local", "/f/2", Instant.EPOCH))
            .filter(file -> ids.contains(file.id()) && file.userId().equals(user))
            .toList();

    final PipelinePlanner planner = new PipelinePlanner(CATALOG, FILES, 3, 4);

    static String input(UUID image, String contentType) {
        return "{\"type\":\"ApObject\",\"properties\":{\"detectorType\":{\"type\":\"ApEnum\",\"value\":\"GoogleGemini\"},"
                + "\"image\":{\"type\":\"ApFile\",\"id\":\"" + image + "\",\"contentType\":\"" + contentType + "\"}}}";
    }

    static final String GOOD_INPUT = input(IMAGE, "image/jpeg");
    static final RequestedStep OCR = new RequestedStep("ocr", "PerformSingleOcr", "detectedCode");
    static final RequestedStep POST = new RequestedStep("post", "Postprocess", null);

    static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    @Test
    void ocrWithTheDetectedCodeSelectorThenPostprocessingIsPlanned() {
        PipelinePlan plan = planner.planOne(USER, json(GOOD_INPUT), List.of(OCR, POST));
        assertEquals(1, plan.runs().size());
        var first = plan.runs().get(0).firstStep();
        assertEquals(1, first.currentStep().orderInPipeline());
        assertEquals("detectedCode", first.currentStep().outputValueSelector());
        assertEquals(
                List.of(2),
                first.nextSteps().stream().map(s -> s.orderInPipeline()).toList());
        assertEquals("post", first.nextSteps().get(0).nodeId());
        assertEquals(IMAGE.toString(), first.fileReferences().get(0).id());
        assertEquals("/f/1", first.fileReferences().get(0).path());
        assertEquals(USER, first.userId());
        assertEquals(plan.runs().get(0).pipelineId(), first.pipelineId());
    }

    static Stream<Arguments> invalidRequests() {
        return Stream.of(
                Arguments.of("no steps", GOOD_INPUT, List.of(), List.of("steps")),
                Arguments.of(
                        "too many steps",
                        POST_INPUT.replace("\"\"", "\"x\""),
                        List.of(POST, POST, POST, POST),
                        List.of("steps")),
                Arguments.of(
                        "unknown node",
                        GOOD_INPUT,
                        List.of(new RequestedStep("nobody", "p", null)),
                        List.of("steps[0].nodeId")),
                Arguments.of(
                        "unknown procedure",
                        GOOD_INPUT,
                        List.of(new RequestedStep("ocr", "nope", null)),
                        List.of("steps[0].procedureId")),
                Arguments.of(
                        "blank names",
                        GOOD_INPUT,
                        List.of(new RequestedStep(" ", null, null)),
                        List.of("steps[0].nodeId", "steps[0].procedureId")),
                Arguments.of(
                        "unavailable node",
                        "{\"type\":\"ApString\",\"value\":\"x\"}",
                        List.of(new RequestedStep("stale", "Postprocess", null)),
                        List.of("steps[0].nodeId")),
                Arguments.of(
                        "incompatible input",
                        "{\"type\":\"ApString\",\"value\":\"x\"}",
                        List.of(OCR, POST),
                        List.of("input")),
                Arguments.of(
                        "missing property",
                        "{\"type\":\"ApObject\",\"properties\":{}}",
                        List.of(OCR, POST),
                        List.of("input.properties.detectorType", "input.properties.image")),
                Arguments.of(
                        "chaining without the selector",
                        GOOD_INPUT,
                        List.of(new RequestedStep("ocr", "PerformSingleOcr", null), POST),
                        List.of("steps[1]")),
                Arguments.of(
                        "selector that does not resolve",
                        GOOD_INPUT,
                        List.of(new RequestedStep("ocr", "PerformSingleOcr", "nothing"), POST),
                        List.of("steps[0].outputValueSelector")),
                Arguments.of(
                        "selector that does not parse",
                        GOOD_INPUT,
                        List.of(new RequestedStep("ocr", "PerformSingleOcr", "a..b"), POST),
                        List.of("steps[0].outputValueSelector")),
                Arguments.of("not an ApElement", "{\"type\":\"ApNothing\"}", List.of(OCR, POST), List.of("input.type")),
                Arguments.of(
                        "step timeout below a second",
                        GOOD_INPUT,
                        List.of(new RequestedStep("ocr", "PerformSingleOcr", "detectedCode", 0), POST),
                        List.of("steps[0].stepTimeoutSeconds")),
                Arguments.of(
                        "step timeout beyond the maximum",
                        GOOD_INPUT,
                        List.of(OCR, new RequestedStep("post", "Postprocess", null, 86_401)),
                        List.of("steps[1].stepTimeoutSeconds")),
                Arguments.of(
                        "retry without maxAttempts",
                        GOOD_INPUT,
                        List.of(retried(new RequestedStep.Retry(null, 1.0, null)), POST),
                        List.of("steps[0].retry.maxAttempts")),
                Arguments.of(
                        "retry out of every range",
                        GOOD_INPUT,
                        List.of(retried(new RequestedStep.Retry(0, 3601.0, Arrays.asList(503, null, 99, 600))), POST),
                        List.of(
                                "steps[0].retry.maxAttempts",
                                "steps[0].retry.backoffSeconds",
                                "steps[0].retry.onCodes[1]",
                                "steps[0].retry.onCodes[2]",
                                "steps[0].retry.onCodes[3]")),
                Arguments.of(
                        "unknown file",
                        input(UUID.randomUUID(), ""),
                        List.of(OCR, POST),
                        List.of("input.properties.image.id")),
                Arguments.of(
                        "someone else's file",
                        input(FOREIGN, ""),
                        List.of(OCR, POST),
                        List.of("input.properties.image.id")),
                Arguments.of(
                        "nil file id",
                        input(new UUID(0, 0), ""),
                        List.of(OCR, POST),
                        List.of("input.properties.image.id")),
                Arguments.of(
                        "unsupported content type",
                        input(PDF, ""),
                        List.of(OCR, POST),
                        List.of("input.properties.image.contentType")),
                Arguments.of(
                        "everything at once",
                        "{\"type\":\"ApString\",\"value\":\"x\"}",
                        List.of(OCR, new RequestedStep("nobody", "p", null), new RequestedStep("post", "x", "a..b")),
                        List.of("steps[1].nodeId", "steps[2].procedureId", "steps[2].outputValueSelector", "input")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidRequests")
    void invalidRequestsNameEveryField(String name, String input, List<RequestedStep> steps, List<String> fields) {
        RunnerException.Invalid invalid =
                assertThrows(RunnerException.Invalid.class, () -> planner.planOne(USER, json(input), steps));
        List<String> reported = invalid.fieldErrors().stream()
                .map(FieldError::field)
                .distinct()
                .sorted()
                .toList();
        assertEquals(
                fields.stream().sorted().toList(),
                reported,
                invalid.fieldErrors().toString());
        assertEquals(422, invalid.status());
    }

    @Test
    void eachStepWaitsItsOwnTimeoutOrTheDefault() {
        PipelinePlanner withDefault = new PipelinePlanner(
                CATALOG,
                FILES,
                3,
                4,
                new StepTimeouts(java.time.Duration.ofSeconds(90), java.time.Duration.ofHours(2)));
        PipelinePlan plan = withDefault.planOne(
                USER, json(GOOD_INPUT), List.of(new RequestedStep("ocr", "PerformSingleOcr", "detectedCode", 5), POST));
        assertEquals(
                List.of(5, 90),
                plan.steps().stream()
                        .map(PipelinePlan.PlannedStep::timeoutSeconds)
                        .toList());
        assertEquals(
                List.of("steps[0].stepTimeoutSeconds"),
                fields(() -> withDefault.planOne(
                        USER,
                        json(GOOD_INPUT),
                        List.of(new RequestedStep("ocr", "PerformSingleOcr", "detectedCode", 7201), POST))));
    }

    static RequestedStep retried(RequestedStep.Retry retry) {
        return new RequestedStep("ocr", "PerformSingleOcr", "detectedCode", null, retry);
    }

    @Test
    void aRetryPolicyIsPlannedWithItsDefaultsAndAStepWithoutOneIsNeverRetried() {
        PipelinePlan plan =
                planner.planOne(USER, json(GOOD_INPUT), List.of(retried(new RequestedStep.Retry(4, null, null)), POST));
        assertEquals(new RetryPolicy(4, 1, List.of()), plan.steps().get(0).retry());
        assertNull(plan.steps().get(1).retry());
        PipelinePlan listed = planner.planOne(
                USER, json(GOOD_INPUT), List.of(retried(new RequestedStep.Retry(2, 0.5, List.of(503, 429))), POST));
        assertEquals(
                new RetryPolicy(2, 0.5, List.of(503, 429)),
                listed.steps().get(0).retry());
    }

    @Test
    void batchErrorsNameTheIndexOfTheInput() {
        List<JsonValue> inputs =
                List.of(json(GOOD_INPUT), json(input(UUID.randomUUID(), "")), json("{\"type\":\"ApInt\",\"value\":1}"));
        RunnerException.Invalid invalid =
                assertThrows(RunnerException.Invalid.class, () -> planner.planBatch(USER, inputs, List.of(OCR, POST)));
        List<String> fields =
                invalid.fieldErrors().stream().map(FieldError::field).toList();
        assertEquals(List.of("inputs[2]", "inputs[1].properties.image.id"), fields);
    }

    @Test
    void aMissingInputIsReportedNotThrown() {
        // a body without "input" (or one whose input the reader skipped) arrives as null
        assertEquals(List.of("input"), fields(() -> planner.planOne(USER, null, List.of(OCR, POST))));
        assertEquals(List.of("input"), fields(() -> planner.planOne(USER, JsonValue.NULL, List.of(OCR, POST))));
    }

    @Test
    void batchNeedsInputsAndRespectsTheCap() {
        assertEquals(List.of("inputs"), fields(() -> planner.planBatch(USER, List.of(), List.of(OCR, POST))));
        List<JsonValue> five = new ArrayList<>(Collections.nCopies(5, json(GOOD_INPUT)));
        assertEquals(List.of("inputs"), fields(() -> planner.planBatch(USER, five, List.of(OCR, POST))));
    }

    @Test
    void aBatchGetsOneRunPerInputWithDistinctIds() {
        PipelinePlan plan = planner.planBatch(USER, List.of(json(GOOD_INPUT), json(GOOD_INPUT)), List.of(OCR, POST));
        assertEquals(2, plan.runs().size());
        assertTrue(!plan.runs().get(0).pipelineId().equals(plan.runs().get(1).pipelineId()));
    }

    @Test
    void aRerunsStepsAreNumberedFromTheFirstStepThatRunsAndItsErrorsNameTheStepsThatRun() {
        PipelinePlan plan = planner.planFrom(USER, json(GOOD_INPUT), List.of(OCR, POST), 2);
        var first = plan.runs().get(0).firstStep();
        assertEquals(2, first.currentStep().orderInPipeline());
        assertEquals(
                List.of(3),
                first.nextSteps().stream().map(s -> s.orderInPipeline()).toList());
        assertEquals(
                List.of(2, 3),
                plan.identifiers().stream().map(s -> s.orderInPipeline()).toList());
        assertEquals(IMAGE.toString(), first.fileReferences().get(0).id());

        assertEquals(
                List.of("steps[0].procedureId"),
                fields(() ->
                        planner.planFrom(USER, json(GOOD_INPUT), List.of(new RequestedStep("ocr", "nope", null)), 2)));
        assertEquals(List.of("input"), fields(() -> planner.planFrom(USER, json(POST_INPUT), List.of(OCR, POST), 2)));
        // The reused steps count towards pipelines.max-steps (3 here): 2 reused + 2 to run is one too many.
        assertEquals(List.of("steps"), fields(() -> planner.planFrom(USER, json(POST_INPUT), List.of(POST, POST), 3)));
    }

    private static List<String> fields(Runnable planning) {
        return assertThrows(RunnerException.Invalid.class, planning::run).fieldErrors().stream()
                .map(FieldError::field)
                .toList();
    }
}
