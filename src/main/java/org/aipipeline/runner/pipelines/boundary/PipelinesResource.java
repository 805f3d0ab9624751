package org.aipipeline.runner.pipelines.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aipipeline.runner.pipelines.control.AwaitedRuns;
import org.aipipeline.runner.pipelines.control.IdempotencyKeys;
import org.aipipeline.runner.pipelines.control.IdempotentRequest;
import org.aipipeline.runner.pipelines.control.PipelinePlan;
import org.aipipeline.runner.pipelines.control.PipelineStarts;
import org.aipipeline.runner.pipelines.control.RunCancellations;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.PageStart;
import org.aipipeline.runner.results.control.PipelineResultJson;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.ResultListing;
import org.aipipeline.runner.results.control.ResultWithSteps;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.users.control.Users;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Starting pipelines: in the background, awaited, or as a batch over many inputs. */
@Path("Pipelines")
@ApplicationScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines")
public class PipelinesResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    private static final System.Logger LOG = System.getLogger(PipelinesResource.class.getName());
    private static final JsonObject VALID =
            Json.createObjectBuilder().add("valid", true).build();

    @Inject
    PipelineStarts starts;

    @Inject
    AwaitedRuns awaited;

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Inject
    RunCancellations cancellations;

    @Inject
    Users users;

    @Inject
    PipelineResults results;

    @Inject
    CurrentCaller caller;

    @Context
    UriInfo uri;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService workers;

    @POST
    @Operation(
            operationId = "runPipeline",
            summary = "Validate a pipeline, record it and start it in the background",
            description = "An unroutable first step (no queue for the node) still answers 202; the run is then Failed "
                    + "in GET /PipelineResults/{id} within milliseconds. With an Idempotency-Key, a repeat answers the "
                    + "original response with Idempotent-Replayed: true.")
    @APIResponse(
            responseCode = "202",
            description = "Recorded and started (or the original answer, replayed)",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResponse")))
    @APIResponse(
            responseCode = "400",
            description = "The body is not JSON of the expected shape, or an invalid Idempotency-Key")
    @APIResponse(
            responseCode = "422",
            description = "Every problem found, each with the path of its field; "
                    + "or an Idempotency-Key used before with another body")
    @APIResponse(responseCode = "503", description = "The database is unavailable (nothing was recorded)")
    public Response run(@Valid @NotNull RunPipelineRequest request, @HeaderParam(IDEMPOTENCY_KEY) String key) {
        UUID userId = caller.userId();
        IdempotentRequest keyed = IdempotentRequest.of(key, userId, "/Pipelines", request);
        Optional<IdempotencyKeys.Original> original = originalOf(keyed);
        if (original.isPresent()) {
            return replay(original.get());
        }
        PipelinePlan plan = starts.planOne(
                userId,
                request.input(),
                RunPipelineRequest.requested(request.steps()),
                CallbackRequest.requested(request.callback()));
        JsonObject body = PipelineJson.wrapped(plan);
        UUID pipelineId = plan.runs().get(0).pipelineId();
        if (keyed == null) {
            starts.dispatch(plan);
        } else {
            try {
                starts.dispatch(plan, keyed, body.toString());
            } catch (IdempotencyKeys.Taken taken) {
                return replayTaken(keyed);
            }
        }
        return Response.accepted(body).location(resultLocation(uri, pipelineId)).build();
    }

    @POST
    @Path("Validate")
    @Operation(
            operationId = "validatePipeline",
            summary = "Check a pipeline as POST /Pipelines would, without recording or sending anything",
            description =
                    "The same checks as POST /Pipelines (schemes at every link, selectors, files, input, callback): "
                            + "200 {\"valid\": true} when it would start, otherwise the same 422 with every problem and its path. "
                            + "The dashboard's builder calls it as the steps change, to show at each link whether the schemes fit.")
    @APIResponse(
            responseCode = "200",
            description = "The pipeline would start",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineValidation")))
    @APIResponse(responseCode = "400", description = "The body is not JSON of the expected shape")
    @APIResponse(responseCode = "422", description = "Every problem found, each with the path of its field")
    public JsonObject validate(@Valid @NotNull RunPipelineRequest request) {
        starts.planOne(
                caller.userId(),
                request.input(),
                RunPipelineRequest.requested(request.steps()),
                CallbackRequest.requested(request.callback()));
        return VALID;
    }

    @POST
    @Path("Awaited")
    @Operation(
            operationId = "runPipelineAwaited",
            summary = "Run a pipeline and answer with its result once it finished, or 408 after timeoutSeconds",
            description =
                    "With an Idempotency-Key, a repeat answers the same run's result (awaited again if it is still running).")
    @APIResponse(
            responseCode = "200",
            description = "The finished run, Succeeded, Failed or Cancelled",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResultResponse")))
    @APIResponse(responseCode = "400", description = "An invalid Idempotency-Key")
    @APIResponse(
            responseCode = "408",
            description = "Not finished in time: the run goes on, the problem names its pipelineId")
    @APIResponse(
            responseCode = "422",
            description = "Every problem found, each with the path of its field; "
                    + "or timeoutSeconds missing or out of range; or an Idempotency-Key used before with another body")
    @APIResponse(responseCode = "503", description = "The database is unavailable (nothing was recorded)")
    public void runAwaited(
            @Valid @NotNull RunAwaitedPipelineRequest request,
            @HeaderParam(IDEMPOTENCY_KEY) String key,
            @Suspended AsyncResponse response) {
        UUID userId = caller.userId();
        Duration timeout = Duration.ofSeconds(request.timeoutSeconds());
        // A backstop in case nothing below resumes the response.
        response.setTimeout(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        IdempotentRequest keyed = IdempotentRequest.of(key, userId, "/Pipelines/Awaited", request);
        Optional<IdempotencyKeys.Original> original = originalOf(keyed);
        if (original.isPresent()) {
            awaitAgain(response, userId, original.get().pipelineId(), timeout);
            return;
        }
        PipelinePlan plan = starts.planOne(
                userId,
                request.input(),
                RunPipelineRequest.requested(request.steps()),
                CallbackRequest.requested(request.callback()));
        UUID pipelineId = plan.runs().get(0).pipelineId();
        awaited.run(plan, timeout, keyed)
                .whenCompleteAsync(
                        (status, error) -> {
                            if (keyed != null && cause(error) instanceof IdempotencyKeys.Taken) {
                                // A concurrent twin recorded the run: wait for that one instead.
                                try {
                                    awaitAgain(
                                            response,
                                            userId,
                                            idempotencyKeys
                                                    .original(keyed)
                                                    .orElseThrow(() -> lost(keyed))
                                                    .pipelineId(),
                                            timeout);
                                } catch (RuntimeException e) {
                                    response.resume(e);
                                }
                            } else {
                                answer(response, userId, pipelineId, error, false);
                            }
                        },
                        workers);
    }

    /** The replay of an awaited submission: the same run's result, awaited again if it is still running. */
    private void awaitAgain(AsyncResponse response, UUID userId, UUID pipelineId, Duration timeout) {
        awaited.await(pipelineId, timeout)
                .whenCompleteAsync((status, error) -> answer(response, userId, pipelineId, error, true), workers);
    }

    private static Throwable cause(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    private void answer(AsyncResponse response, UUID userId, UUID pipelineId, Throwable failure, boolean replayed) {
        Throwable error = cause(failure);
        try {
            if (error instanceof TimeoutException
                    || error instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
                response.resume(new RunnerException.TimedOut(
                        "Pipeline " + pipelineId
                                + " did not finish in time; its result will be at /api/v1/PipelineResults/"
                                + pipelineId,
                        Map.of("pipelineId", pipelineId.toString())));
            } else if (error != null) {
                response.resume(error);
            } else {
                Response.ResponseBuilder ok = Response.ok(PipelineResultJson.wrapped(results.get(userId, pipelineId)));
                response.resume((replayed ? ok.header(REPLAYED, "true") : ok).build());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Answering the awaited run of pipeline " + pipelineId + " failed", e);
            response.resume(e);
        }
    }

    @POST
    @Path("Batch")
    @Operation(
            operationId = "runPipelineBatch",
            summary = "Validate and record a batch of runs over many inputs, then start them in the background")
    @APIResponse(
            responseCode = "202",
            description = "Recorded and started (or the original answer, replayed)",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "BatchStartedResponse")))
    @APIResponse(
            responseCode = "400",
            description = "The body is not JSON of the expected shape, or an invalid Idempotency-Key")
    @APIResponse(
            responseCode = "422",
            description = "Every problem found; input errors name their index (inputs[3]...); "
                    + "or an Idempotency-Key used before with another body")
    public Response runBatch(
            @Valid @NotNull RunPipelineBatchRequest request, @HeaderParam(IDEMPOTENCY_KEY) String key) {
        UUID userId = caller.userId();
        IdempotentRequest keyed = IdempotentRequest.of(key, userId, "/Pipelines/Batch", request);
        Optional<IdempotencyKeys.Original> original = originalOf(keyed);
        if (original.isPresent()) {
            return replay(original.get());
        }
        PipelineStarts.BatchStarted started;
        try {
            started = starts.startBatch(
                    userId,
                    request.inputs(),
                    RunPipelineRequest.requested(request.steps()),
                    CallbackRequest.requested(request.callback()),
                    keyed,
                    batch -> PipelineJson.batch(batch).toString());
        } catch (IdempotencyKeys.Taken taken) {
            return replayTaken(keyed);
        }
        return Response.accepted(PipelineJson.batch(started))
                .location(batchLocation(uri, started.pipelineBatchId()))
                .build();
    }

    @POST
    @Path("{pipelineId}/Cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "cancelPipeline",
            summary = "Cancel one of your running pipelines; cancelling it again answers the same result")
    @APIResponse(
            responseCode = "200",
            description = "The run, now Cancelled",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResultResponse")))
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    @APIResponse(
            responseCode = "409",
            description = "The pipeline finished already (Succeeded or Failed); the problem names its status")
    public JsonObject cancel(@PathParam("pipelineId") String pipelineId) {
        UUID userId = caller.userId();
        UUID id = Ids.parse("pipelineId", pipelineId);
        ResultWithSteps result = results.get(userId, id);
        if (result.status() == RunStatus.Running) {
            cancellations.cancel(userId, id, false, users.get(userId).getUsername());
            result = results.get(userId, id);
        }
        RunStatus status = result.status();
        if (status != RunStatus.Cancelled) {
            throw new RunnerException.Conflict(
                    "Pipeline " + id + " already " + status + "; only a running pipeline can be cancelled");
        }
        return PipelineResultJson.wrapped(result);
    }

    @POST
    @Path("Batch/{batchId}/Cancel")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            operationId = "cancelPipelineBatch",
            summary = "Cancel every unfinished pipeline of one of your batches; the batch finishes")
    @APIResponse(
            responseCode = "200",
            description = "The batch as GET /PipelineResults/Batch/{batchId} answers it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineBatchResponse")))
    @APIResponse(responseCode = "400", description = "batchId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such batch, or not yours")
    public JsonObject cancelBatch(@PathParam("batchId") String batchId) {
        UUID userId = caller.userId();
        UUID id = Ids.parse("batchId", batchId);
        PageStart first = PageStart.of(ResultListing.BATCH_OLDEST_FIRST, null, null, null);
        results.batch(userId, id, first);
        cancellations.cancel(userId, id, true, users.get(userId).getUsername());
        return PipelineResultJson.batch(results.batch(userId, id, first));
    }

    /** The fast path for a repeated key (the key's row decides, at dispatch); nothing without a key. */
    private Optional<IdempotencyKeys.Original> originalOf(IdempotentRequest keyed) {
        return keyed == null ? Optional.empty() : idempotencyKeys.original(keyed);
    }

    private Response replay(IdempotencyKeys.Original original) {
        return replay(uri, original);
    }

    /** The original answer, as it was, marked as replayed (also of a rerun, {@link RerunsResource}). */
    static Response replay(UriInfo uri, IdempotencyKeys.Original original) {
        return Response.status(original.statusCode())
                .entity(original.body())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .location(
                        original.batchId() != null
                                ? batchLocation(uri, original.batchId())
                                : resultLocation(uri, original.pipelineId()))
                .header(REPLAYED, "true")
                .build();
    }

    /** Lost the race for the key: the winner committed, so its answer is there to replay (or a 422 if it differs). */
    private Response replayTaken(IdempotentRequest keyed) {
        return replay(idempotencyKeys.original(keyed).orElseThrow(() -> lost(keyed)));
    }

    /** The winner's row vanished between its commit and our read: only a sweep or a user deletion does that. */
    static RunnerException lost(IdempotentRequest keyed) {
        return new RunnerException.Conflict("Idempotency-Key '" + keyed.key()
                + "' was used concurrently and its record is gone already; send the request again");
    }

    static URI resultLocation(UriInfo uri, UUID pipelineId) {
        return uri.getBaseUriBuilder()
                .path("PipelineResults")
                .path(pipelineId.toString())
                .build();
    }

    private static URI batchLocation(UriInfo uri, UUID batchId) {
        return uri.getBaseUriBuilder()
                .path("PipelineResults")
                .path("Batch")
                .path(batchId.toString())
                .build();
    }
}
