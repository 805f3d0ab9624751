package org.aipipeline.runner.pipelines.boundary;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.aipipeline.runner.pipelines.control.AwaitedRuns;
import org.aipipeline.runner.pipelines.control.PipelinePlan;
import org.aipipeline.runner.pipelines.control.PipelineStarts;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.boundary.PipelineResultJson;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.entity.RunStatus;
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

    private static final System.Logger LOG = System.getLogger(PipelinesResource.class.getName());

    @Inject
    PipelineStarts starts;

    @Inject
    AwaitedRuns awaited;

    @Inject
    PipelineResults results;

    @Inject
    CurrentCaller caller;

    @Context
    UriInfo uri;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService workers;

    @POST
    @Operation(operationId = "runPipeline", summary = "Validate a pipeline, record it and start it in the background",
            description = "An unroutable first step (no queue for the node) still answers 202; the run is then Failed "
                    + "in GET /PipelineResults/{id} within milliseconds.")
    @APIResponse(responseCode = "202", description = "Recorded and started",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResponse")))
    @APIResponse(responseCode = "422", description = "Every problem found, each with the path of its field")
    @APIResponse(responseCode = "503", description = "The database is unavailable (nothing was recorded)")
    public Response run(@Valid @NotNull RunPipelineRequest request) {
        PipelinePlan plan = starts.planOne(caller.userId(), request.input(), RunPipelineRequest.requested(request.steps()));
        starts.dispatch(plan);
        UUID pipelineId = plan.runs().get(0).pipelineId();
        return Response.accepted(PipelineJson.wrapped(plan))
                .location(uri.getBaseUriBuilder().path("PipelineResults").path(pipelineId.toString()).build())
                .build();
    }

    @POST
    @Path("Awaited")
    @Operation(operationId = "runPipelineAwaited",
            summary = "Run a pipeline and answer with its result once it finished, or 408 after timeoutSeconds")
    @APIResponse(responseCode = "200", description = "The finished run, Succeeded or Failed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResultResponse")))
    @APIResponse(responseCode = "408", description = "Not finished in time: the run goes on, the problem names its pipelineId")
    @APIResponse(responseCode = "422", description = "Every problem found, each with the path of its field; "
            + "or timeoutSeconds missing or out of range")
    @APIResponse(responseCode = "503", description = "The database is unavailable (nothing was recorded)")
    public void runAwaited(@Valid @NotNull RunAwaitedPipelineRequest request, @Suspended AsyncResponse response) {
        UUID userId = caller.userId();
        Duration timeout = Duration.ofSeconds(request.timeoutSeconds());
        PipelinePlan plan = starts.planOne(userId, request.input(), RunPipelineRequest.requested(request.steps()));
        UUID pipelineId = plan.runs().get(0).pipelineId();
        // A backstop in case nothing below resumes the response.
        response.setTimeout(timeout.toSeconds() + 30, TimeUnit.SECONDS);
        awaited.run(plan, timeout)
                .whenCompleteAsync((status, error) -> answer(response, userId, pipelineId, error), workers);
    }

    private void answer(AsyncResponse response, UUID userId, UUID pipelineId, Throwable failure) {
        Throwable error = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        try {
            if (error instanceof TimeoutException
                    || error instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
                response.resume(new RunnerException.TimedOut("Pipeline " + pipelineId
                        + " did not finish in time; its result will be at /api/v1/PipelineResults/" + pipelineId,
                        Map.of("pipelineId", pipelineId.toString())));
            } else if (error != null) {
                response.resume(error);
            } else {
                response.resume(Response.ok(PipelineResultJson.wrapped(results.get(userId, pipelineId))).build());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Answering the awaited run of pipeline " + pipelineId + " failed", e);
            response.resume(e);
        }
    }

    @POST
    @Path("Batch")
    @Operation(operationId = "runPipelineBatch",
            summary = "Validate and record a batch of runs over many inputs, then start them in the background")
    @APIResponse(responseCode = "202", description = "Recorded and started",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "BatchStartedResponse")))
    @APIResponse(responseCode = "422", description = "Every problem found; input errors name their index (inputs[3]...)")
    public Response runBatch(@Valid @NotNull RunPipelineBatchRequest request) {
        PipelineStarts.BatchStarted started = starts.startBatch(caller.userId(), request.inputs(),
                RunPipelineRequest.requested(request.steps()));
        return Response.accepted(PipelineJson.batch(started))
                .location(uri.getBaseUriBuilder().path("PipelineResults").path("Batch")
                        .path(started.pipelineBatchId().toString()).build())
                .build();
    }
}
