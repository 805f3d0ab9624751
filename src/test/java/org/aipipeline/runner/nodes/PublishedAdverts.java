package org.aipipeline.runner.nodes;

/**
 * The NodeAdvertised bodies of the original platform's documentation: the {@code word-processor}
 * node of "Create Your Own Node" and the two tire-ocr nodes as "Running Pipelines" lists them
 * (schemaVersion a number, as .NET nodes send it). The node id is a parameter so that tests can
 * use unique ids on a shared broker and database.
 */
public final class PublishedAdverts {

    private PublishedAdverts() {}

    public static String wordProcessor(String nodeId) {
        return """
            {
              "nodeId": "%s",
              "procedures": [
                {
                  "id": "repeat-string",
                  "schemaVersion": 1,
                  "input": {
                    "type": "ApObject",
                    "properties": {
                      "inputString": {
                        "type": "ApString",
                        "value": ""
                      },
                      "repetitionCount": {
                        "type": "ApInt",
                        "value": ""
                      }
                    },
                    "nonRequiredProperties": ["repetitionCount"]
                  },
                  "output": {
                    "type": "ApObject",
                    "properties": {
                      "repeatedString": {
                        "type": "ApString",
                        "value": ""
                      }
                    },
                    "nonRequiredProperties": []
                  }
                }
              ]
            }
            """.formatted(nodeId);
    }

    public static String tireOcrOcr(String nodeId) {
        return """
            {
              "nodeId": "%s",
              "procedures": [
                {
                  "id": "PerformSingleOcr",
                  "schemaVersion": 1,
                  "input": {
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
                  },
                  "output": {
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
                }
              ]
            }
            """.formatted(nodeId);
    }

    public static String tireOcrPostprocessing(String nodeId) {
        return """
            {
              "nodeId": "%s",
              "procedures": [
                {
                  "id": "PerformTireCodePostprocessing",
                  "schemaVersion": 1,
                  "input": { "type": "ApString", "value": "" },
                  "output": {
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
                }
              ]
            }
            """.formatted(nodeId);
    }
}
