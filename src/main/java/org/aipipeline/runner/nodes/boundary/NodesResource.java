package org.aipipeline.runner.nodes.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.aipipeline.runner.messaging.QueueDepths;
import org.aipipeline.runner.messaging.QueueDepths.QueueState;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.results.control.RunsInFlight;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The node registry, readable by every authenticated caller. */
@Path("Nodes")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Nodes")
public class NodesResource {

    @Inject
    NodeRegistry registry;

    @Inject
    QueueDepths queues;

    @Inject
    Topology topology;

    @Inject
    RunsInFlight runsInFlight;

    @GET
    @Operation(
            operationId = "listNodes",
            summary = "Nodes that advertised themselves, ordered by id, with their procedures and schemes")
    @APIResponse(
            responseCode = "200",
            description = "A page of nodes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NodePage")))
    @APIResponse(responseCode = "400", description = "Invalid pageNumber or pageSize")
    public JsonObject list(
            @Parameter(ref = "pageNumber") @QueryParam("pageNumber") String pageNumber,
            @Parameter(ref = "pageSize") @QueryParam("pageSize") String pageSize) {
        return NodesJson.page(registry.page(PageRequest.parse(pageNumber, pageSize)));
    }

    @GET
    @Path("{nodeId}")
    @Operation(
            operationId = "getNode",
            summary = "One node with live facts: its queue on the broker and the runs waiting for it",
            description =
                    "Beyond the spec. queue is what a passive declare of the node's queue says (messages ready for "
                            + "delivery, consumers), at most messaging.queue-depth.cache old; null with queueProblem when the broker "
                            + "cannot be asked. runsInFlight counts the running runs whose awaited step is on this node.")
    @APIResponse(
            responseCode = "200",
            description = "The node",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NodeStatusResponse")))
    @APIResponse(responseCode = "404", description = "No node with this id has ever advertised itself")
    public JsonObject get(
            @Parameter(description = "The node id, exact and case-sensitive", required = true) @PathParam("nodeId")
                    String nodeId) {
        NodeView node = registry.view(nodeId)
                .orElseThrow(() -> new RunnerException.NotFound("No node '" + nodeId + "' has advertised itself"));
        QueueState queue = null;
        String problem = null;
        try {
            queue = queues.of(topology.nodeQueue(nodeId));
        } catch (RunnerException.Unavailable e) {
            problem = e.getMessage();
        }
        return NodesJson.live(node, queue, problem, runsInFlight.awaiting(nodeId));
    }
}
