package org.aipipeline.runner.callbacks.boundary;

import static org.aipipeline.runner.platform.entity.JsonFields.instant;
import static org.aipipeline.runner.platform.entity.JsonFields.text;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.aipipeline.runner.callbacks.control.CallbackLog;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.PipelineResults;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A run's callback and its deliveries, for its owner only (others' runs are 404). */
@Path("PipelineResults/{pipelineId}/Callbacks")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PipelineResults")
public class CallbacksResource {

    @Inject
    PipelineResults results;

    @Inject
    CallbackLog log;

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(
            operationId = "listPipelineCallbacks",
            summary = "Your run's callback and every delivery of its events",
            description =
                    "Beyond the spec. callback is null when the run has none (its secret is never shown: signed says "
                            + "whether there is one). Deliveries in the order queued, at most " + CallbackLog.LIMIT
                            + ".")
    @APIResponse(
            responseCode = "200",
            description = "The callback and its deliveries",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "CallbacksResponse")))
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    public JsonObject list(@Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId) {
        UUID id = Ids.parse("pipelineId", pipelineId);
        results.requireOwned(caller.userId(), id);
        CallbackLog.Log found = log.of(id);
        JsonObjectBuilder json = JsonCodecs.JSON.createObjectBuilder();
        if (found.callback() == null) {
            json.addNull("callback");
        } else {
            JsonArrayBuilder events = JsonCodecs.JSON.createArrayBuilder();
            found.callback().events().forEach(events::add);
            json.add(
                    "callback",
                    JsonCodecs.JSON
                            .createObjectBuilder()
                            .add("url", found.callback().url())
                            .add("events", events)
                            .add("signed", found.callback().signed()));
        }
        JsonArrayBuilder deliveries = JsonCodecs.JSON.createArrayBuilder();
        for (CallbackLog.Delivery delivery : found.deliveries()) {
            JsonObjectBuilder row = JsonCodecs.JSON
                    .createObjectBuilder()
                    .add("id", delivery.id())
                    .add("event", delivery.event())
                    .add("status", delivery.status())
                    .add("attempts", delivery.attempts());
            instant(row, "createdAt", delivery.createdAt());
            if (delivery.lastStatusCode() == null) {
                row.addNull("lastStatusCode");
            } else {
                row.add("lastStatusCode", delivery.lastStatusCode());
            }
            text(row, "lastError", delivery.lastError());
            instant(row, "nextAttemptAt", delivery.nextAttemptAt());
            instant(row, "deliveredAt", delivery.deliveredAt());
            deliveries.add(row);
        }
        return json.add("deliveries", deliveries).build();
    }
}
