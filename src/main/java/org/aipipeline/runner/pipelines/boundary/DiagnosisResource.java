package org.aipipeline.runner.pipelines.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.aipipeline.runner.pipelines.control.RunDiagnoses;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** "Why is my step not running?" for one of the caller's runs; other users' runs are 404. */
@Path("PipelineResults/{pipelineId}/Diagnosis")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PipelineResults")
public class DiagnosisResource {

    @Inject
    RunDiagnoses diagnoses;

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(
            operationId = "diagnosePipeline",
            summary = "Why each unfinished step of your run is where it is, in data and in words",
            description =
                    "Beyond the spec. For a running run: the step it waits for (queued behind N messages, no consumer, "
                            + "running for S s, retry scheduled, past its deadline, node unknown or no longer advertising the "
                            + "procedure, broker unreachable) and the steps after it (waiting for an earlier step). Queue figures "
                            + "come from the broker, at most messaging.queue-depth.cache old. A finished run has no steps and a "
                            + "summary saying so.")
    @APIResponse(
            responseCode = "200",
            description = "The diagnosis",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "DiagnosisResponse")))
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    public JsonObject diagnose(@Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId) {
        return DiagnosisJson.of(diagnoses.diagnose(caller.userId(), Ids.parse("pipelineId", pipelineId)));
    }
}
