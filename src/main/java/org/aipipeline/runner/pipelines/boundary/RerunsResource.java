package org.aipipeline.runner.pipelines.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.pipelines.control.IdempotencyKeys;
import org.aipipeline.runner.pipelines.control.IdempotentRequest;
import org.aipipeline.runner.pipelines.control.RequestedStep;
import org.aipipeline.runner.pipelines.control.Reruns;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Re-running one of the caller's finished pipelines from a step (issue 13 part 3). Under
 * {@code PipelineResults} because it is asked of a result; it starts a pipeline, so it lives with
 * the other starts (and the same Idempotency-Key handling as {@link PipelinesResource}).
 */
@Path("PipelineResults/{pipelineId}/Rerun")
@ApplicationScoped
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PipelineResults")
public class RerunsResource {

    @Inject
    Reruns reruns;

    @Inject
    IdempotencyKeys idempotencyKeys;

    @Inject
    CurrentCaller caller;

    @Context
    UriInfo uri;

    @POST
    @Operation(
            operationId = "rerunPipeline",
            summary =
                    "Re-run one of your finished pipelines from a step, reusing the stored results of the steps before it",
            description = "A new pipeline (rerunOf = this one) that copies the successful steps before fromOrder "
                    + "(default: the first step that did not succeed; 1 on a Succeeded run) and dispatches from there "
                    + "with that step's stored input: the run's input for step 1, else the stored result of the step "
                    + "before. steps, when given, replace the step at fromOrder and every later one. The part that runs is "
                    + "validated as a new run (errors name steps[i], the i-th step that runs, and input, the stored "
                    + "input of step fromOrder). With dryRun: true nothing is stored or sent and the answer is the plan, "
                    + "listing every problem instead of a 422 (an Idempotency-Key is then ignored). With an "
                    + "Idempotency-Key, a repeat answers the original response with Idempotent-Replayed: true.")
    @APIResponse(
            responseCode = "200",
            description = "dryRun: the plan (which steps are reused, which run, on which "
                    + "nodes, whether each is available now) and every problem found",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "RerunPlan")))
    @APIResponse(
            responseCode = "202",
            description = "Recorded and started (or the original answer, replayed); "
                    + "pipeline.steps are the steps that run, pipeline.input the run's input",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResponse")))
    @APIResponse(
            responseCode = "400",
            description = "pipelineId is not a UUID, the body is not JSON of the expected "
                    + "shape, or an invalid Idempotency-Key")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    @APIResponse(responseCode = "409", description = "The pipeline is still Running (the problem names its status)")
    @APIResponse(
            responseCode = "422",
            description = "fromOrder out of range or a step before it cannot be reused "
                    + "(field fromOrder); every problem of the part that runs, with paths; or an Idempotency-Key used before "
                    + "with another body")
    public Response rerun(
            @Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId,
            @NotNull RerunRequest request,
            @HeaderParam(PipelinesResource.IDEMPOTENCY_KEY) String key) {
        UUID userId = caller.userId();
        UUID id = Ids.parse("pipelineId", pipelineId);
        List<RequestedStep> steps = request.steps() == null ? null : RunPipelineRequest.requested(request.steps());
        if (request.isDryRun()) {
            return Response.ok(PipelineJson.rerunPlan(reruns.preview(userId, id, request.fromOrder(), steps)))
                    .build();
        }
        // The pipeline re-run is part of what the key stands for: with another pipeline it is "another body".
        IdempotentRequest keyed = IdempotentRequest.of(key, userId, "/PipelineResults/{id}/Rerun", id + "\n" + request);
        Optional<IdempotencyKeys.Original> original =
                keyed == null ? Optional.empty() : idempotencyKeys.original(keyed);
        if (original.isPresent()) {
            return replay(original.get());
        }
        Reruns.Rerun rerun = reruns.plan(userId, id, request.fromOrder(), steps);
        JsonObject body = PipelineJson.rerun(rerun);
        try {
            reruns.dispatch(rerun, keyed, body.toString());
        } catch (IdempotencyKeys.Taken taken) {
            return replay(idempotencyKeys.original(keyed).orElseThrow(() -> PipelinesResource.lost(keyed)));
        }
        return Response.accepted(body)
                .location(PipelinesResource.resultLocation(uri, rerun.pipelineId()))
                .build();
    }

    private Response replay(IdempotencyKeys.Original original) {
        return PipelinesResource.replay(uri, original);
    }
}
