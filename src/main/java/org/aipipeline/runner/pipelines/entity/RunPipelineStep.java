package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * The command that makes a node run one step, with everything it needs to forward the rest:
 * the protocol's {@code RunPipelineStep}, field names exactly as the .NET contract has them.
 */
public record RunPipelineStep(
        UUID pipelineId,
        UUID userId,
        ProcedureIdentifier currentStep,
        ApElement currentStepInput,
        List<ProcedureIdentifier> nextSteps,
        List<FileReference> fileReferences) {

    private static final ApElementJson AP_JSON = new ApElementJson();

    public RunPipelineStep {
        nextSteps = List.copyOf(nextSteps);
        fileReferences = List.copyOf(fileReferences);
    }

    public JsonObject toJson() {
        JsonArrayBuilder next = JsonCodecs.JSON.createArrayBuilder();
        nextSteps.forEach(step -> next.add(step.toJson()));
        JsonArrayBuilder files = JsonCodecs.JSON.createArrayBuilder();
        fileReferences.forEach(file -> files.add(file.toJson()));
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("pipelineId", pipelineId.toString())
                .add("userId", userId.toString())
                .add("currentStep", currentStep.toJson())
                .add("currentStepInput", AP_JSON.toJsonObject(currentStepInput))
                .add("nextSteps", next)
                .add("fileReferences", files)
                .build();
    }

    public String toJsonText() {
        return toJson().toString();
    }

    /** Reads one; throws {@link IllegalArgumentException} (or ApSchemeException) naming the field. */
    public static RunPipelineStep fromJson(String text) {
        JsonObject json;
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(text))) {
            json = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("RunPipelineStep: not a JSON object: " + e.getMessage(), e);
        }
        return fromJson(json);
    }

    public static RunPipelineStep fromJson(JsonObject json) {
        String path = "RunPipelineStep";
        List<ProcedureIdentifier> next = new ArrayList<>();
        JsonArray nextJson = array(json, "nextSteps", path);
        for (int i = 0; i < nextJson.size(); i++) {
            next.add(ProcedureIdentifier.fromJson(nextJson.get(i), path + ".nextSteps[" + i + "]"));
        }
        List<FileReference> files = new ArrayList<>();
        JsonArray filesJson = array(json, "fileReferences", path);
        for (int i = 0; i < filesJson.size(); i++) {
            files.add(FileReference.fromJson(filesJson.get(i), path + ".fileReferences[" + i + "]"));
        }
        return new RunPipelineStep(
                MessageFields.requiredUuid(json, "pipelineId", path),
                MessageFields.requiredUuid(json, "userId", path),
                ProcedureIdentifier.fromJson(json.get("currentStep"), path + ".currentStep"),
                AP_JSON.parse(json.get("currentStepInput"), "currentStepInput"),
                next,
                files);
    }

    /** A missing or null array is read as empty: .NET nodes may omit empty collections. */
    private static JsonArray array(JsonObject json, String name, String path) {
        JsonValue value = json.get(name);
        if (value == null || value == JsonValue.NULL) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw new IllegalArgumentException(path + "." + name + ": expected an array");
        }
        return value.asJsonArray();
    }
}
