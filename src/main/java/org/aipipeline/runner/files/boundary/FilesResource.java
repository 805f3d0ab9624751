package org.aipipeline.runner.files.boundary;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityPart;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.files.control.ContentTypeSniffer;
import org.aipipeline.runner.files.control.FileDownload;
import org.aipipeline.runner.files.control.FileServiceClient;
import org.aipipeline.runner.files.control.SizeLimitedStream;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.platform.entity.Problem;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The caller's files, kept by the File Service. Every call is scoped to the caller, so another
 * user's file is a 404 like a missing one. Bytes never pile up in memory: downloads are copied
 * chunk by chunk from the gRPC stream to the response, uploads from the (spooled) multipart part
 * to the gRPC stream.
 */
@Path("Files")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Files")
public class FilesResource {

    @Inject
    FileServiceClient files;

    @Inject
    CurrentCaller caller;

    @Inject
    @ConfigProperty(name = "files.upload.max-size")
    long maxFileSize;

    @Context
    UriInfo uri;

    @GET
    @Operation(operationId = "listFiles", summary = "Your files, newest first, optionally only one storage scope")
    @APIResponse(
            responseCode = "200",
            description = "A page of your files",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FilePage")))
    @APIResponse(responseCode = "400", description = "Bad pagination or storageScope")
    @APIResponse(responseCode = "503", description = "File Service unavailable")
    public Page<FileView> list(
            @Parameter(ref = "pageNumber") @QueryParam("pageNumber") String pageNumber,
            @Parameter(ref = "pageSize") @QueryParam("pageSize") String pageSize,
            @Parameter(ref = "storageScope") @QueryParam("storageScope") String storageScope) {
        PageRequest page = PageRequest.parse(pageNumber, pageSize);
        return files.list(caller.userId(), scopeFilter(storageScope), page).map(FileView::of);
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getFile", summary = "One of your files")
    @APIResponse(
            responseCode = "200",
            description = "The file's metadata",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FileResponse")))
    @APIResponse(responseCode = "400", description = "id is not a UUID")
    @APIResponse(responseCode = "404", description = "No such file of yours")
    @APIResponse(responseCode = "503", description = "File Service unavailable")
    public FileResponse get(@Parameter(ref = "fileId") @PathParam("id") String id) {
        return new FileResponse(FileView.of(files.get(caller.userId(), Ids.parse("id", id))));
    }

    @GET
    @Path("{id}/Download")
    @Produces(MediaType.WILDCARD)
    @Operation(
            operationId = "downloadFile",
            summary = "The file's bytes, streamed, as an attachment with its name and content type")
    @APIResponse(responseCode = "200", ref = "FileBytes")
    @APIResponse(responseCode = "400", description = "id is not a UUID")
    @APIResponse(responseCode = "404", description = "No such file of yours")
    @APIResponse(responseCode = "503", description = "File Service unavailable")
    public Response download(@Parameter(ref = "fileId") @PathParam("id") String id) {
        FileDownload download = files.download(caller.userId(), Ids.parse("id", id));
        StoredFile file = download.file();
        // The bytes are copied as Jersey writes the body; FileDownload.writeTo closes the gRPC call.
        StreamingOutput body = download::writeTo;
        Response.ResponseBuilder response = Response.ok(body, mediaTypeOf(file.contentType()))
                .header("Content-Disposition", AttachmentHeader.of(file.fileName()));
        // Our File Service reports sizes (and createdAt); the original one does neither, so 0 is "unknown" there.
        if (file.createdAt() != null) {
            response.header(HttpHeaders.CONTENT_LENGTH, file.sizeBytes());
        }
        return response.build();
    }

    @POST
    @Path("Upload")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @LimitedUpload
    @Operation(
            operationId = "uploadFile",
            summary = "Upload a file: multipart 'file' (required), 'id' and 'storageScope' (default LongTerm)")
    @RequestBody(
            required = true,
            content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(ref = "UploadForm")))
    @APIResponse(
            responseCode = "201",
            description = "The stored file",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "FileResponse")))
    @APIResponse(responseCode = "400", description = "Malformed multipart body")
    @APIResponse(responseCode = "409", description = "A file with this id exists")
    @APIResponse(responseCode = "413", description = "Larger than files.upload.max-size")
    @APIResponse(responseCode = "415", description = "Not multipart/form-data")
    @APIResponse(responseCode = "422", description = "Missing file, bad id or storageScope")
    @APIResponse(responseCode = "503", description = "File Service unavailable")
    public Response upload(List<EntityPart> parts) throws IOException {
        UUID userId = caller.userId();
        UploadForm form = UploadForm.of(parts);
        try (InputStream content = new BufferedInputStream(form.file().getContent(), ContentTypeSniffer.HEAD_SIZE)) {
            String contentType = form.declaredContentType()
                    .filter(declared -> !ContentTypeSniffer.isUninformative(declared))
                    .orElseGet(() -> sniff(content));
            // Counting here holds the file to the exact limit and aborts the gRPC upload when it is
            // passed, so the File Service discards what it staged; nothing half-written remains.
            InputStream limited = new SizeLimitedStream(content, maxFileSize, UploadSizeGuard::tooLarge);
            StoredFile stored =
                    files.upload(userId, form.fileName(), contentType, form.scope(), form.id(), limited, -1);
            return Response.created(uri.getBaseUriBuilder()
                            .path("Files")
                            .path(stored.id().toString())
                            .build())
                    .entity(new FileResponse(FileView.of(stored)))
                    .build();
        }
    }

    @DELETE
    @Path("{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE
    }) // only problems have a body: no 406 for clients asking for them
    @Operation(operationId = "deleteFile", summary = "Delete one of your files, data and metadata")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "id is not a UUID")
    @APIResponse(responseCode = "404", description = "No such file of yours")
    @APIResponse(responseCode = "503", description = "File Service unavailable")
    public Response delete(@Parameter(ref = "fileId") @PathParam("id") String id) {
        files.delete(caller.userId(), Ids.parse("id", id));
        return Response.noContent().build();
    }

    private static Optional<FileStorageScope> scopeFilter(String raw) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(FileStorageScope.ofRestName(raw)
                .orElseThrow(() -> new RunnerException.BadInput(
                        "storageScope must be one of " + UploadForm.ALLOWED_SCOPES + ", got '" + raw + "'")));
    }

    /** Peeks at the head of the stream (which must support mark) and puts it back. */
    private static String sniff(InputStream content) {
        try {
            content.mark(ContentTypeSniffer.HEAD_SIZE);
            byte[] head = content.readNBytes(ContentTypeSniffer.HEAD_SIZE);
            content.reset();
            return ContentTypeSniffer.sniff(head, head.length);
        } catch (IOException e) {
            throw new RunnerException.BadInput("The upload could not be read: " + e.getMessage());
        }
    }

    /** A stored type that is not a valid media type (written by some other client) is served as bytes. */
    private static MediaType mediaTypeOf(String contentType) {
        try {
            return contentType == null || contentType.isBlank()
                    ? MediaType.APPLICATION_OCTET_STREAM_TYPE
                    : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            return MediaType.APPLICATION_OCTET_STREAM_TYPE;
        }
    }
}
