package org.aipipeline.runner.nodes.boundary;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.util.regex.Pattern;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.messaging.QueueDepths.QueueState;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.platform.entity.JsonFields;
import org.aipipeline.runner.platform.entity.Page;

/**
 * The wire form of {@code GET /Nodes} and {@code GET /Nodes/{id}}, built with JSON-P rather than JSON-B so that
 * {@code input}/{@code output} are exactly the ApScheme form {@link ApElementJson} defines.
 */
public final class NodesJson {

    private static final ApElementJson SCHEMES = new ApElementJson();
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,18}");

    private NodesJson() {}

    static JsonObject page(Page<NodeView> page) {
        JsonArrayBuilder items = JsonCodecs.JSON.createArrayBuilder();
        page.items().forEach(node -> items.add(node(node)));
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("items", items)
                .add("pagination", page.pagination().toJson())
                .build();
    }

    static JsonObject node(NodeView node) {
        JsonArrayBuilder procedures = JsonCodecs.JSON.createArrayBuilder();
        node.procedures().forEach(procedure -> procedures.add(procedure(procedure)));
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("id", node.id())
                .add("procedures", procedures)
                .add("lastAdvertisedAt", node.lastAdvertisedAt().toString())
                .add("available", node.available())
                .build();
    }

    /**
     * {@code {"node": {..., "queue", "queueProblem", "runsInFlight"}}}: the node as listed, with what
     * the broker says of its queue (null with the reason when the broker cannot be asked) and the
     * running runs waiting for a step of it.
     */
    static JsonObject live(NodeView node, QueueState queue, String queueProblem, long runsInFlight) {
        JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder(node(node));
        json.add("queue", queue == null ? JsonValue.NULL : queue.toJson());
        JsonFields.text(json, "queueProblem", queueProblem);
        json.add("runsInFlight", runsInFlight);
        return JsonCodecs.JSON.createObjectBuilder().add("node", json).build();
    }

    private static JsonObject procedure(RegisteredProcedure procedure) {
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("id", procedure.procedureId())
                .add("schemaVersion", schemaVersion(procedure.schemaVersion()))
                .add("input", SCHEMES.toJsonObject(procedure.input()))
                .add("output", SCHEMES.toJsonObject(procedure.output()))
                .build();
    }

    /**
     * Nodes of the original platform advertise {@code "schemaVersion": 1} and its clients read a
     * number back; a version that is not a whole number is passed through as the string it was.
     */
    static JsonValue schemaVersion(String version) {
        return WHOLE_NUMBER.matcher(version).matches() // at most 18 digits: always fits a long
                ? JsonCodecs.JSON.createValue(Long.parseLong(version))
                : JsonCodecs.JSON.createValue(version);
    }
}
