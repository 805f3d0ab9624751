package org.aipipeline.runner.events.boundary;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.aipipeline.runner.events.control.BatchEvents;
import org.aipipeline.runner.events.control.EventId;
import org.aipipeline.runner.events.control.EventStreams;
import org.aipipeline.runner.events.control.StreamTokenKey;
import org.aipipeline.runner.events.control.StreamTokens;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.WatchedRuns;
import org.aipipeline.runner.results.control.WatchedRuns.BatchProgress;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Live events of the caller's runs and batches as Server-Sent Events, and the short-lived stream
 * tokens that let a browser's {@code EventSource} (which cannot send Authorization) open them.
 * Ownership is checked before the stream opens, so someone else's run is a 404 problem.
 */
@Path("PipelineResults")
@Tag(name = "PipelineResults")
public class PipelineEventsResource {

    private static final String EVENTS =
            "Server-Sent Events (text/event-stream). Each event's data is JSON and its id is "
                    + "derived from the stored rows, so reconnecting with Last-Event-ID (browsers do it themselves) sends exactly "
                    + "what was missed, on any instance. A finished run or batch sends what is missing, then finished, and the "
                    + "server closes the stream. A comment ': keep-alive' comes every 15 s. Authenticate with Authorization, or "
                    + "with ?token= from the matching EventsToken operation (never an access token or API key in the URL).";

    @Inject
    PipelineResults results;

    @Inject
    WatchedRuns watched;

    @Inject
    EventStreams streams;

    @Inject
    StreamTokenKey key;

    @Inject
    CurrentCaller caller;

    // The token parameter is read by StreamTokenAuthentication before this runs; declared here so
    // that the document lists it.
    @GET
    @Path("{pipelineId}/Events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamTokenRoute(kind = StreamTokens.Kind.run, idParam = "pipelineId")
    @Operation(
            operationId = "streamPipelineEvents",
            summary = "Live events of one of your pipeline runs",
            description = EVENTS + " Events: dispatched {order, nodeId, procedureId}; retrying {order, failedAttempts, "
                    + "lastFailureReason, nextAttemptAt}; step-succeeded {order, result}; step-failed {order, "
                    + "failureReason {code, reason}}; finished {status, finishedAt}. Ids: <order>:dispatched, "
                    + "<order>:retrying:<n>, <order>:succeeded, <order>:failed, finished.")
    @APIResponse(
            responseCode = "200",
            description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "PipelineEvent")))
    @APIResponse(
            responseCode = "400",
            description = "pipelineId is not a UUID, or Last-Event-ID is not an id of this stream")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    @APIResponse(
            responseCode = "429",
            description = "You hold events.max-streams-per-user open streams on this instance already")
    public void streamPipelineEvents(
            @Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId,
            @Parameter(ref = "lastEventId") @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(ref = "streamToken") @QueryParam("token") String token,
            @Context SseEventSink sink,
            @Context Sse sse) {
        UUID id = Ids.parse("pipelineId", pipelineId);
        EventId last = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            last = EventId.parse(lastEventId.trim());
            if (last == null) {
                throw new RunnerException.BadInput(
                        "Last-Event-ID '" + lastEventId + "' is not an event id of a pipeline's "
                                + "stream (such as 2:succeeded or finished); send the id of the last event you received, or none");
            }
        }
        streams.openRun(results.get(caller.userId(), id), results.stepPlanOf(id).orElse(null), last, sink, sse);
    }

    @GET
    @Path("Batch/{batchId}/Events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @StreamTokenRoute(kind = StreamTokens.Kind.batch, idParam = "batchId")
    @Operation(
            operationId = "streamBatchEvents",
            summary = "Live progress of one of your batches",
            description =
                    EVENTS + " Events: progress {total, succeeded, failed, running} (id progress:<succeeded>:<failed>, "
                            + "sent when the counts change); finished {total, succeeded, failed, finishedAt} (id finished).")
    @APIResponse(
            responseCode = "200",
            description = "The event stream",
            content = @Content(mediaType = MediaType.SERVER_SENT_EVENTS, schema = @Schema(ref = "BatchEvent")))
    @APIResponse(
            responseCode = "400",
            description = "batchId is not a UUID, or Last-Event-ID is not an id of this stream")
    @APIResponse(responseCode = "404", description = "No such batch, or not yours")
    @APIResponse(
            responseCode = "429",
            description = "You hold events.max-streams-per-user open streams on this instance already")
    public void streamBatchEvents(
            @Parameter(ref = "batchId") @PathParam("batchId") String batchId,
            @Parameter(ref = "lastEventId") @HeaderParam("Last-Event-ID") String lastEventId,
            @Parameter(ref = "streamToken") @QueryParam("token") String token,
            @Context SseEventSink sink,
            @Context Sse sse) {
        UUID id = Ids.parse("batchId", batchId);
        String last = lastEventId == null || lastEventId.isBlank() ? null : lastEventId.trim();
        if (last != null && !BatchEvents.isId(last)) {
            throw new RunnerException.BadInput(
                    "Last-Event-ID '" + lastEventId + "' is not an event id of a batch's stream "
                            + "(such as progress:3:1 or finished); send the id of the last event you received, or none");
        }
        streams.openBatch(id, caller.userId(), ownBatch(id), last, sink, sse);
    }

    @POST
    @Path("{pipelineId}/EventsToken")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createEventsToken",
            summary = "A 60-second token that opens this run's event stream",
            description = "For browsers, whose EventSource cannot send Authorization: pass it as "
                    + "GET /PipelineResults/{pipelineId}/Events?token=... . It opens that stream of that run for you, "
                    + "until expiresAt, and works nowhere else (not as a bearer token, not as an API key).")
    @APIResponse(
            responseCode = "200",
            description = "The token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventsToken")))
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    public JsonObject createEventsToken(@Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId) {
        UUID id = Ids.parse("pipelineId", pipelineId);
        UUID userId = caller.userId();
        results.requireOwned(userId, id);
        return token(StreamTokens.Kind.run, id, userId);
    }

    @POST
    @Path("Batch/{batchId}/EventsToken")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            operationId = "createBatchEventsToken",
            summary = "A 60-second token that opens this batch's event stream",
            description = "As createEventsToken, for GET /PipelineResults/Batch/{batchId}/Events?token=... .")
    @APIResponse(
            responseCode = "200",
            description = "The token",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "EventsToken")))
    @APIResponse(responseCode = "400", description = "batchId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such batch, or not yours")
    public JsonObject createBatchEventsToken(@Parameter(ref = "batchId") @PathParam("batchId") String batchId) {
        UUID id = Ids.parse("batchId", batchId);
        ownBatch(id);
        return token(StreamTokens.Kind.batch, id, caller.userId());
    }

    private BatchProgress ownBatch(UUID batchId) {
        UUID userId = caller.userId();
        Map<UUID, BatchProgress> found = watched.batches(List.of(batchId));
        BatchProgress batch = found.get(batchId);
        if (batch == null || !batch.userId().equals(userId)) {
            throw new RunnerException.NotFound("No pipeline batch with id " + batchId);
        }
        return batch;
    }

    private JsonObject token(StreamTokens.Kind kind, UUID id, UUID userId) {
        StreamTokens.Issued issued = key.tokens().issue(kind, id, userId, DatabaseTime.now());
        return JsonCodecs.JSON
                .createObjectBuilder()
                .add("token", issued.token())
                .add("expiresAt", issued.expiresAt().toString())
                .build();
    }
}
