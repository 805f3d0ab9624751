package org.aipipeline.runner.results.boundary;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.results.control.PipelineResults;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's pipeline results and batches; other users' are 404, as if they did not exist. */
@Path("PipelineResults")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PipelineResults")
public class PipelineResultsResource {

    @Inject
    PipelineResults results;

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(summary = "Your pipeline results, newest first, each with its step results")
    @APIResponse(responseCode = "200", description = "{\"items\": [PipelineResult], \"pagination\": {...}}")
    @APIResponse(responseCode = "400", description = "pageNumber or pageSize out of range or not a number")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    public JsonObject list(@QueryParam("pageNumber") String pageNumber, @QueryParam("pageSize") String pageSize) {
        return PipelineResultJson.page(results.page(caller.userId(), PageRequest.parse(pageNumber, pageSize)));
    }

    @GET
    @Path("{pipelineId}")
    @Operation(summary = "The result of one of your pipelines, with every step")
    @APIResponse(responseCode = "200", description = "{\"result\": PipelineResult}")
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    public JsonObject get(@PathParam("pipelineId") String pipelineId) {
        return PipelineResultJson.wrapped(results.get(caller.userId(), Ids.parse("pipelineId", pipelineId)));
    }

    @GET
    @Path("Batch/{batchId}")
    @Operation(summary = "One of your batches: counts by outcome and a page of its results (creation order)")
    @APIResponse(responseCode = "200", description = "{\"batch\": {..., \"pipelineResults\": [PipelineResult], \"pagination\": {...}}}")
    @APIResponse(responseCode = "400", description = "batchId is not a UUID, or bad pagination")
    @APIResponse(responseCode = "401", description = "Not authenticated")
    @APIResponse(responseCode = "404", description = "No such batch, or not yours")
    public JsonObject batch(@PathParam("batchId") String batchId, @QueryParam("pageNumber") String pageNumber,
                            @QueryParam("pageSize") String pageSize) {
        PageRequest page = PageRequest.parse(pageNumber, pageSize);
        return PipelineResultJson.batch(results.batch(caller.userId(), Ids.parse("batchId", batchId), page));
    }
}
