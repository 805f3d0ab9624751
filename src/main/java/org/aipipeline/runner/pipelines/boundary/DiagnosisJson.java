package org.aipipeline.runner.pipelines.boundary;

import static org.aipipeline.runner.platform.entity.JsonFields.instant;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.aipipeline.runner.pipelines.control.RunDiagnoses;
import org.aipipeline.runner.pipelines.control.StepDiagnosis;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/** The wire form of {@code GET /PipelineResults/{id}/Diagnosis}: every member present, null when unknown. */
final class DiagnosisJson {

    private DiagnosisJson() {}

    /** {@code {"diagnosis": {"pipelineId", "status", "summary", "steps": [...]}}}. */
    static JsonObject of(RunDiagnoses.Diagnosis diagnosis) {
        JsonArrayBuilder steps = JsonCodecs.JSON.createArrayBuilder();
        diagnosis.steps().forEach(step -> steps.add(step(step)));
        JsonObjectBuilder json = JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", diagnosis.run().pipelineId().toString())
                .add("status", diagnosis.run().status().name())
                .add("summary", diagnosis.summary())
                .add("steps", steps);
        return JsonCodecs.JSON.createObjectBuilder().add("diagnosis", json).build();
    }

    private static JsonObject step(StepDiagnosis step) {
        JsonObjectBuilder json = JsonCodecs.JSON
                .createObjectBuilder()
                .add("order", step.order())
                .add("nodeId", step.nodeId())
                .add("procedureId", step.procedureId())
                .add("state", step.state().wire())
                .add("sentence", step.sentence());
        instant(json, "dispatchedAt", step.dispatchedAt());
        instant(json, "deadlineAt", step.deadlineAt());
        json.add(
                "attempts",
                JsonCodecs.JSON
                        .createObjectBuilder()
                        .add("failed", step.attempts().failed())
                        .add("max", step.attempts().max()));
        json.add("queue", step.queue() == null ? JsonValue.NULL : step.queue().toJson());
        if (step.node() == null) {
            json.addNull("node");
        } else {
            json.add(
                    "node",
                    JsonCodecs.JSON
                            .createObjectBuilder()
                            .add("available", step.node().available())
                            .add(
                                    "lastAdvertisedAt",
                                    step.node().lastAdvertisedAt().toString())
                            .add(
                                    "listsProcedure",
                                    step.node().procedures().stream()
                                            .anyMatch(p -> p.procedureId().equals(step.procedureId()))));
        }
        return json.build();
    }
}
