package org.aipipeline.runner.files.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The upload limit, so that a client (the dashboard's drop zone) can say it before the user sends a
 * file that would only come back as a 413.
 */
@Path("Files/Limits")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Files")
public class UploadLimitsResource {

    @Inject
    @ConfigProperty(name = "files.upload.max-size")
    long maxFileSize;

    @GET
    @Operation(operationId = "getUploadLimits", summary = "The largest file POST /Files/Upload accepts")
    @APIResponse(
            responseCode = "200",
            description = "The limits of uploads (files.upload.max-size)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "UploadLimitsResponse")))
    public JsonObject limits() {
        return Json.createObjectBuilder()
                .add("limits", Json.createObjectBuilder().add("maxUploadBytes", maxFileSize))
                .build();
    }
}
