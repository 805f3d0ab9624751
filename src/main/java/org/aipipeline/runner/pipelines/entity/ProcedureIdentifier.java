package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/**
 * A step of a pipeline as the node protocol names it: which node runs which procedure, its
 * 1-based place in the pipeline and the selector applied to its output.
 */
public record ProcedureIdentifier(String nodeId, String procedureId, int orderInPipeline, String outputValueSelector) {

    public JsonObject toJson() {
        JsonObjectBuilder json = JsonCodecs.JSON
                .createObjectBuilder()
                .add("nodeId", nodeId)
                .add("procedureId", procedureId)
                .add("orderInPipeline", orderInPipeline);
        if (outputValueSelector == null) {
            json.addNull("outputValueSelector");
        } else {
            json.add("outputValueSelector", outputValueSelector);
        }
        return json.build();
    }

    /**
     * Reads one from a message; throws {@link IllegalArgumentException} naming the field when it
     * is not there or of the wrong kind.
     */
    public static ProcedureIdentifier fromJson(JsonValue value, String path) {
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException(path + ": expected an object");
        }
        JsonObject json = value.asJsonObject();
        return new ProcedureIdentifier(
                MessageFields.requiredString(json, "nodeId", path),
                MessageFields.requiredString(json, "procedureId", path),
                MessageFields.requiredInt(json, "orderInPipeline", path),
                MessageFields.optionalString(json, "outputValueSelector", path));
    }
}
