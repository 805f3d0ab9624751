package org.aipipeline.runner.pipelines.entity;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.aipipeline.runner.platform.entity.JsonCodecs;

/** Where a node finds the bytes of an ApFile: the File Service's metadata of it. */
public record FileReference(String id, String storageProvider, String path, String contentType) {

    public JsonObject toJson() {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("id", id)
                .add("storageProvider", storageProvider)
                .add("path", path)
                .add("contentType", contentType)
                .build();
    }

    public static FileReference fromJson(JsonValue value, String path) {
        if (value == null || value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw new IllegalArgumentException(path + ": expected an object");
        }
        JsonObject json = value.asJsonObject();
        return new FileReference(
                MessageFields.requiredString(json, "id", path),
                MessageFields.optionalString(json, "storageProvider", path),
                MessageFields.optionalString(json, "path", path),
                MessageFields.optionalString(json, "contentType", path));
    }
}
