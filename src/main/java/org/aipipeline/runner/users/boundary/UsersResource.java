package org.aipipeline.runner.users.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.entity.Problem;
import org.aipipeline.runner.users.control.Users;
import org.aipipeline.runner.users.entity.User;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("Users")
@ApplicationScoped
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Users")
public class UsersResource {

    @Inject
    Users users;

    @Inject
    CurrentCaller caller;

    @GET
    @Path("{id}")
    @Operation(operationId = "getUser", summary = "Public details of a user; your own API keys are listed only to you")
    @APIResponse(
            responseCode = "200",
            description = "The user",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "UserResponse")))
    @APIResponse(responseCode = "400", description = "id is not a UUID")
    @APIResponse(responseCode = "404", description = "No such user")
    public UserResponse get(@Parameter(ref = "userId") @PathParam("id") String id) {
        User user = users.get(Ids.parse("id", id));
        return new UserResponse(view(user));
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateUser", summary = "Change your username and/or password")
    @APIResponse(
            responseCode = "200",
            description = "The changed account",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "UserResponse")))
    @APIResponse(responseCode = "400", description = "Malformed body, or id is not a UUID")
    @APIResponse(responseCode = "403", description = "Not your account")
    @APIResponse(responseCode = "404", description = "No such user")
    @APIResponse(responseCode = "409", description = "Username taken")
    @APIResponse(responseCode = "422", description = "Invalid username or password")
    public UserResponse update(
            @Parameter(ref = "userId") @PathParam("id") String id, @Valid @NotNull UpdateUserRequest request) {
        User user = users.update(caller.userId(), Ids.parse("id", id), request.username(), request.password());
        return new UserResponse(view(user));
    }

    @DELETE
    @Path("{id}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE
    }) // only problems have a body: no 406 for clients asking for them
    @Operation(
            operationId = "deleteUser",
            summary = "Delete your account and everything it owns",
            description = "Files (data too), results, batches, API keys and tokens. If the File Service is unavailable "
                    + "nothing is deleted (503): simply retry.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "id is not a UUID")
    @APIResponse(responseCode = "403", description = "Not your account")
    @APIResponse(responseCode = "404", description = "No such user")
    public Response delete(@Parameter(ref = "userId") @PathParam("id") String id) {
        users.delete(caller.userId(), Ids.parse("id", id));
        return Response.noContent().build();
    }

    private UserView view(User user) {
        return user.getId().equals(caller.userId())
                ? UserView.forOwner(user, users.apiKeysOf(user.getId()))
                : UserView.forOthers(user);
    }
}
