package org.aipipeline.runner.pipelines.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApString;
import org.junit.jupiter.api.Test;

/** The RunPipelineStep message keeps the .NET contract's exact field names and survives a round trip. */
class RunPipelineStepTest {

    final RunPipelineStep step = new RunPipelineStep(
            UUID.randomUUID(),
            UUID.randomUUID(),
            new ProcedureIdentifier("ocr", "PerformSingleOcr", 1, "detectedCode"),
            new ApString("x"),
            List.of(new ProcedureIdentifier("post", "Postprocess", 2, null)),
            List.of(new FileReference(UUID.randomUUID().toString(), "Local", "/files/a", "image/jpeg")));

    @Test
    void fieldNamesAreTheContracts() {
        JsonObject json = step.toJson();
        assertEquals(
                Set.of("pipelineId", "userId", "currentStep", "currentStepInput", "nextSteps", "fileReferences"),
                json.keySet());
        assertEquals(
                Set.of("nodeId", "procedureId", "orderInPipeline", "outputValueSelector"),
                json.getJsonObject("currentStep").keySet());
        assertEquals(
                Set.of("id", "storageProvider", "path", "contentType"),
                json.getJsonArray("fileReferences").getJsonObject(0).keySet());
        assertEquals("ApString", json.getJsonObject("currentStepInput").getString("type"));
    }

    @Test
    void roundTripGivesAnEqualMessage() {
        assertEquals(step, RunPipelineStep.fromJson(step.toJsonText()));
    }

    @Test
    void missingCollectionsReadAsEmpty() {
        String text = "{\"pipelineId\":\"" + step.pipelineId() + "\",\"userId\":\"" + step.userId()
                + "\",\"currentStep\":{\"nodeId\":\"n\",\"procedureId\":\"p\",\"orderInPipeline\":1},"
                + "\"currentStepInput\":{\"type\":\"ApString\",\"value\":\"x\"}}";
        RunPipelineStep read = RunPipelineStep.fromJson(text);
        assertEquals(List.of(), read.nextSteps());
        assertEquals(List.of(), read.fileReferences());
    }
}
