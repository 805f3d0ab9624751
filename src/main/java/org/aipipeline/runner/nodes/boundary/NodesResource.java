package org.aipipeline.runner.nodes.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.aipipeline.runner.nodes.control.NodeRegistry;
import org.aipipeline.runner.platform.entity.PageRequest;
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

    @GET
    @Operation(operationId = "listNodes",
            summary = "Nodes that advertised themselves, ordered by id, with their procedures and schemes")
    @APIResponse(responseCode = "200", description = "A page of nodes",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "NodePage")))
    @APIResponse(responseCode = "400", description = "Invalid pageNumber or pageSize")
    public JsonObject list(@Parameter(ref = "pageNumber") @QueryParam("pageNumber") String pageNumber,
                           @Parameter(ref = "pageSize") @QueryParam("pageSize") String pageSize) {
        return NodesJson.page(registry.page(PageRequest.parse(pageNumber, pageSize)));
    }
}
