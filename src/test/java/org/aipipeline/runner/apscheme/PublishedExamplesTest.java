package org.aipipeline.runner.apscheme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JSON examples of the original platform's documentation (ApScheme page, Running Pipelines,
 * node advertisement), read as published and checked the way the runner will use them.
 */
class PublishedExamplesTest {

    private final ApElementJson json = new ApElementJson();

    /** PerformSingleOcr output: detectedCode plus optional estimatedCosts. */
    static final String OCR_OUTPUT = """
      {
        "type": "ApObject",
        "properties": {
          "detectedCode": { "type": "ApString", "value": "" },
          "estimatedCosts": {
            "type": "ApObject",
            "properties": {
              "inputUnitCount": { "type": "ApDecimal", "value": 0 },
              "outputUnitCount": { "type": "ApDecimal", "value": 0 },
              "billingUnit": { "type": "ApString", "value": "" },
              "estimatedCost": { "type": "ApDecimal", "value": 0 },
              "estimatedCostCurrency": { "type": "ApString", "value": "" }
            },
            "nonRequiredProperties": []
          }
        },
        "nonRequiredProperties": ["estimatedCosts"]
      }
      """;

    static final String OCR_INPUT = """
      {
        "type": "ApObject",
        "properties": {
          "detectorType": {
            "type": "ApEnum",
            "value": "",
            "supportedCases": ["GoogleGemini", "MistralPixtral", "OpenAiGpt", "GoogleCloudVision", "AzureAiVision"]
          },
          "image": {
            "type": "ApFile",
            "id": "00000000-0000-0000-0000-000000000000",
            "contentType": "",
            "supportedContentTypes": ["image/jpeg", "image/png", "image/webp"]
          }
        },
        "nonRequiredProperties": []
      }
      """;

    static final String POSTPROCESSING_INPUT = "{ \"type\": \"ApString\", \"value\": \"\" }";

    static final String POSTPROCESSING_OUTPUT = """
      {
        "type": "ApObject",
        "properties": {
          "rawCode": { "type": "ApString", "value": "" },
          "postprocessedTireCode": { "type": "ApString", "value": "" },
          "vehicleClass": { "type": "ApString", "value": "" },
          "width": { "type": "ApDecimal", "value": 0 },
          "aspectRatio": { "type": "ApDecimal", "value": 0 },
          "construction": { "type": "ApString", "value": "" },
          "diameter": { "type": "ApDecimal", "value": 0 },
          "loadIndex": { "type": "ApString", "value": "" },
          "speedRating": { "type": "ApString", "value": "" }
        },
        "nonRequiredProperties": ["vehicleClass", "width", "AspectRatio", "construction", "diameter", "loadIndex", "speedRating"]
      }
      """;

    static final String PIPELINE_INPUT = """
      {
        "type": "ApObject",
        "properties": {
          "detectorType": { "type": "ApEnum", "value": "GoogleGemini" },
          "image": { "type": "ApFile", "id": "16cf7a41-7ff8-492a-ab05-0ad0c724df75", "contentType": "image/jpeg" }
        }
      }
      """;

    /** ApScheme page: detectorType optional in the scheme. */
    static final String OPTIONAL_DETECTOR_SCHEME =
            OCR_INPUT.replace("\"nonRequiredProperties\": []", "\"nonRequiredProperties\": [\"detectorType\"]");

    static final String WORD_PROCESSOR_INPUT = """
      {
        "type": "ApObject",
        "properties": {
          "inputString": { "type": "ApString", "value": "" },
          "repetitionCount": { "type": "ApInt", "value": "" }
        },
        "nonRequiredProperties": ["repetitionCount"]
      }
      """;

    @Test
    void ocrOutputWithTheDetectedCodeSelectorFitsPostprocessing() {
        ApElement selected = ValueSelector.parse("detectedCode").applyToScheme(json.parse(OCR_OUTPUT));
        assertEquals(ApString.template(), selected);
        assertTrue(SchemeCompatibility.fits(selected, json.parse(POSTPROCESSING_INPUT))
                .ok());
    }

    @Test
    void ocrOutputWithoutTheSelectorDoesNotFitPostprocessing() {
        Fit fit = SchemeCompatibility.fits(json.parse(OCR_OUTPUT), json.parse(POSTPROCESSING_INPUT));
        assertEquals(List.of(new Mismatch("", "expected ApString, got ApObject")), fit.mismatches());
    }

    @Test
    void ocrOutputDoesNotFitAnInputExpectingAnObjectWithAStringDetectedCodeItHasAsAnObject() {
        // the spec's message shape: properties.detectedCode: expected ApString, got ApObject
        ApElement next = json.parse(
                "{\"type\":\"ApObject\",\"properties\":{\"detectedCode\":{\"type\":\"ApString\",\"value\":\"\"}}}");
        ApElement previous = json.parse("{\"type\":\"ApObject\",\"properties\":{\"detectedCode\":" + OCR_OUTPUT + "}}");
        assertEquals(
                "properties.detectedCode: expected ApString, got ApObject",
                SchemeCompatibility.fits(previous, next).first().toString());
    }

    @Test
    void selectorsOfTheDocumentationNavigateNestedSchemes() {
        ApElement output = json.parse(OCR_OUTPUT);
        assertEquals(
                ApDecimal.template(),
                ValueSelector.parse("estimatedCosts.inputUnitCount").applyToScheme(output));
    }

    @Test
    void publishedPipelineInputFitsTheOcrInput() {
        assertTrue(SchemeCompatibility.fits(json.parse(PIPELINE_INPUT), json.parse(OCR_INPUT))
                .ok());
    }

    @Test
    void pipelineInputWithAnUnsupportedCaseOrFileTypeDoesNotFit() {
        String wrong = PIPELINE_INPUT.replace("GoogleGemini", "Tesseract").replace("image/jpeg", "image/gif");
        Fit fit = SchemeCompatibility.fits(json.parse(wrong), json.parse(OCR_INPUT));
        assertEquals(
                List.of(
                        new Mismatch(
                                "properties.detectorType",
                                "'Tesseract' is not one of the supported cases [GoogleGemini, MistralPixtral, OpenAiGpt, GoogleCloudVision, AzureAiVision]"),
                        new Mismatch(
                                "properties.image",
                                "content type 'image/gif' is not one of the supported content types [image/jpeg, image/png, image/webp]")),
                fit.mismatches());
    }

    @Test
    void detectorTypeMayBeLeftOutOnlyWhereItIsNonRequired() {
        String imageOnly = """
        {"type": "ApObject", "properties": {
          "image": {"type": "ApFile", "id": "1eda3a21-bf66-4abd-9bfb-15afc1691eed", "contentType": "image/webp"}}}
        """;
        assertTrue(SchemeCompatibility.fits(json.parse(imageOnly), json.parse(OPTIONAL_DETECTOR_SCHEME))
                .ok());
        assertEquals(
                List.of(new Mismatch("properties.detectorType", "required property is missing")),
                SchemeCompatibility.fits(json.parse(imageOnly), json.parse(OCR_INPUT))
                        .mismatches());
    }

    @Test
    void wordProcessorAdvertHasAnOptionalRepetitionCountWithoutDefault() {
        ApObject scheme = (ApObject) json.parse(WORD_PROCESSOR_INPUT);
        assertEquals(ApInt.withoutDefault(), scheme.property("repetitionCount"));
        assertTrue(!scheme.isRequired("repetitionCount") && scheme.isRequired("inputString"));

        String textOnly =
                "{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\"hi\"}}}";
        assertTrue(SchemeCompatibility.fits(json.parse(textOnly), scheme).ok());
        String withCount =
                "{\"type\":\"ApObject\",\"properties\":{\"inputString\":{\"type\":\"ApString\",\"value\":\"hi\"},"
                        + "\"repetitionCount\":{\"type\":\"ApInt\",\"value\":\"3\"}}}";
        assertTrue(SchemeCompatibility.fits(json.parse(withCount), scheme).ok());
        String wrongCount = withCount.replace("\"ApInt\",\"value\":\"3\"", "\"ApString\",\"value\":\"3\"");
        assertEquals(
                "properties.repetitionCount: expected ApInt, got ApString",
                SchemeCompatibility.fits(json.parse(wrongCount), scheme).first().toString());
        String countOnly =
                "{\"type\":\"ApObject\",\"properties\":{\"repetitionCount\":{\"type\":\"ApInt\",\"value\":3}}}";
        assertEquals(
                "properties.inputString: required property is missing",
                SchemeCompatibility.fits(json.parse(countOnly), scheme).first().toString());
    }

    @Test
    void nonRequiredNamesMatchPropertiesIgnoringCase() {
        // the published postprocessing output lists "AspectRatio" for its "aspectRatio"
        ApObject output = (ApObject) json.parse(POSTPROCESSING_OUTPUT);
        assertTrue(!output.isRequired("aspectRatio"));
        String rawCodesOnly = """
        {"type":"ApObject","properties":{"rawCode":{"type":"ApString","value":"x"},
          "postprocessedTireCode":{"type":"ApString","value":"y"}}}
        """;
        assertTrue(SchemeCompatibility.fits(json.parse(rawCodesOnly), output).ok());
    }

    @Test
    void enumAndFileSchemesAndValuesAsPublished() {
        ApEnum enumScheme = (ApEnum) json.parse(
                "{\"type\":\"ApEnum\",\"value\":\"\",\"supportedCases\":[\"GoogleGemini\",\"MistralPixtral\"]}");
        ApEnum enumValue = (ApEnum) json.parse("{\"type\":\"ApEnum\",\"value\":\"GoogleGemini\"}");
        assertEquals(List.of(), enumValue.supportedCases());
        assertTrue(SchemeCompatibility.fits(enumValue, enumScheme).ok());
        assertTrue(SchemeCompatibility.fits(enumScheme, enumScheme).ok(), "a scheme fits itself");

        ApFile fileScheme = (ApFile)
                json.parse("{\"type\":\"ApFile\",\"id\":\"00000000-0000-0000-0000-000000000000\",\"contentType\":\"\","
                        + "\"supportedContentTypes\":[\"image/jpeg\",\"image/png\",\"image/webp\"]}");
        ApFile fileValue = (ApFile) json.parse(
                "{\"type\":\"ApFile\",\"id\":\"e9ecec8e-bf34-409e-80e4-7cd1ae651c81\",\"contentType\":\"image/jpeg\"}");
        assertEquals(ApFile.NIL_ID, fileScheme.id());
        assertTrue(SchemeCompatibility.fits(fileValue, fileScheme).ok());
        assertTrue(SchemeCompatibility.fits(fileScheme, fileScheme).ok(), "a scheme fits itself");
    }

    @Test
    void publishedListSchemeAndValue() {
        ApElement scheme = json.parse("{\"type\":\"ApList\",\"items\":[{\"type\":\"ApString\",\"value\":\"\"}]}");
        ApElement value =
                json.parse("{\"type\":\"ApList\",\"items\":[{\"type\":\"ApString\",\"value\":\"My value item 1\"},"
                        + "{\"type\":\"ApString\",\"value\":\"My value item 2\"}]}");
        assertTrue(SchemeCompatibility.fits(value, scheme).ok());
    }

    @Test
    void everyPublishedExampleRoundTrips() {
        for (String example : List.of(
                OCR_OUTPUT,
                OCR_INPUT,
                POSTPROCESSING_INPUT,
                POSTPROCESSING_OUTPUT,
                PIPELINE_INPUT,
                WORD_PROCESSOR_INPUT)) {
            ApElement element = json.parse(example);
            assertEquals(element, json.parse(json.print(element)));
            assertEquals(json.print(element), json.print(json.parse(json.print(element))));
        }
    }
}
