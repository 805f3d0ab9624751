package org.aipipeline.runner.results.boundary;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.UUID;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.PageStart;
import org.aipipeline.runner.results.control.PipelineResultJson;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.ResultListing;
import org.aipipeline.runner.results.control.TotalCount;
import org.aipipeline.runner.results.entity.RunStatus;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The caller's pipeline results and batches; other users' are 404, as if they did not exist. */
@Path("PipelineResults")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "PipelineResults")
public class PipelineResultsResource {

    private static final String CURSOR = "Beyond the spec: pagination.nextCursor (null on the last page) passed back "
            + "as the query parameter after (with the same pageSize, pageNumber optional) returns the next page as an "
            + "index range scan however deep it is; a numbered page without after skips its offset inside the index.";

    @Inject
    PipelineResults results;

    @Inject
    CurrentCaller caller;

    @GET
    @Operation(
            operationId = "listPipelineResults",
            summary = "Your pipeline results, newest first, each with its step results",
            description = "pagination.totalCount is exact up to " + TotalCount.EXACT_UP_TO + " results (then "
                    + "pagination.totalCountExact is true); beyond that it is PostgreSQL's planner estimate for your "
                    + "results, never below what the pages prove, and exact again on the last page (embedded H2 "
                    + "database: always exact). hasNextPage is always exact. " + CURSOR)
    @APIResponse(
            responseCode = "200",
            description = "A page of your results",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResultPage")))
    @APIResponse(
            responseCode = "400",
            description = "pageNumber or pageSize out of range or not a number; status not "
                    + "one of Running, Succeeded, Failed, Cancelled; after not a cursor of this listing (with this status "
                    + "filter), or pageNumber not the page it leads to")
    public JsonObject list(
            @Parameter(ref = "pageNumber") @QueryParam("pageNumber") String pageNumber,
            @Parameter(ref = "pageSize") @QueryParam("pageSize") String pageSize,
            @Parameter(ref = "after") @QueryParam("after") String after,
            @Parameter(ref = "status") @QueryParam("status") String status) {
        ResultListing listing = ResultListing.ofUser(statusFilter(status));
        PageStart start = PageStart.of(listing, pageNumber, pageSize, after);
        return PipelineResultJson.page(results.page(caller.userId(), listing, start));
    }

    /** The status query parameter: absent or one of the wire values, exactly. */
    private static RunStatus statusFilter(String status) {
        if (status == null) {
            return null;
        }
        for (RunStatus known : RunStatus.values()) {
            if (known.name().equals(status)) {
                return known;
            }
        }
        throw new RunnerException.BadInput("status must be one of "
                + Arrays.toString(RunStatus.values()).replace("[", "").replace("]", "") + " (case as written), got '"
                + status + "'");
    }

    @GET
    @Path("{pipelineId}")
    @Operation(operationId = "getPipelineResult", summary = "The result of one of your pipelines, with every step")
    @APIResponse(
            responseCode = "200",
            description = "The run, Running, Succeeded or Failed",
            content =
                    @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineResultResponse")))
    @APIResponse(responseCode = "400", description = "pipelineId is not a UUID")
    @APIResponse(responseCode = "404", description = "No such pipeline, or not yours")
    public JsonObject get(@Parameter(ref = "pipelineId") @PathParam("pipelineId") String pipelineId) {
        return PipelineResultJson.wrapped(results.get(caller.userId(), Ids.parse("pipelineId", pipelineId)));
    }

    @GET
    @Path("Batch/{batchId}")
    @Operation(
            operationId = "getPipelineBatch",
            summary = "One of your batches: counts by outcome and a page of its results (creation order)",
            description = "The counts come from counters kept as the batch's pipelines finish; "
                    + "pagination.totalCount is totalPipelineCount (exact). " + CURSOR)
    @APIResponse(
            responseCode = "200",
            description = "The batch with one page of its results",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "PipelineBatchResponse")))
    @APIResponse(
            responseCode = "400",
            description = "batchId is not a UUID, bad pagination, or after not a cursor of " + "this batch's listing")
    @APIResponse(responseCode = "404", description = "No such batch, or not yours")
    public JsonObject batch(
            @Parameter(ref = "batchId") @PathParam("batchId") String batchId,
            @Parameter(ref = "pageNumber") @QueryParam("pageNumber") String pageNumber,
            @Parameter(ref = "pageSize") @QueryParam("pageSize") String pageSize,
            @Parameter(ref = "after") @QueryParam("after") String after) {
        UUID id = Ids.parse("batchId", batchId);
        PageStart start = PageStart.of(ResultListing.BATCH_OLDEST_FIRST, pageNumber, pageSize, after);
        return PipelineResultJson.batch(results.batch(caller.userId(), id, start));
    }
}
