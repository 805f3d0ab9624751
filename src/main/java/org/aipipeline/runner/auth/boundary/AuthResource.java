package org.aipipeline.runner.auth.boundary;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.aipipeline.runner.auth.control.ApiKeys;
import org.aipipeline.runner.auth.control.Logins;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.PublicRoute;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Problem;
import org.aipipeline.runner.users.boundary.UserResponse;
import org.aipipeline.runner.users.boundary.UserView;
import org.aipipeline.runner.users.control.Users;
import org.aipipeline.runner.users.entity.User;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirementsSet;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@Path("Auth")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Auth")
public class AuthResource {

    @Inject
    Users users;

    @Inject
    Logins logins;

    @Inject
    ApiKeys apiKeys;

    @Inject
    CurrentCaller caller;

    @Context
    UriInfo uri;

    @POST
    @Path("Register")
    @PublicRoute
    @SecurityRequirementsSet
    @Operation(operationId = "register", summary = "Create an account")
    @APIResponse(
            responseCode = "201",
            description = "The new account",
            headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "UserResponse")))
    @APIResponse(responseCode = "409", description = "Username or id taken")
    @APIResponse(responseCode = "422", description = "Invalid username, password or id")
    public Response register(@Valid @NotNull RegisterRequest request) {
        UUID id = request.id() == null ? null : UUID.fromString(request.id());
        User user = users.register(id, request.username(), request.password());
        return Response.created(uri.getBaseUriBuilder()
                        .path("Users")
                        .path(user.getId().toString())
                        .build())
                .entity(new UserResponse(UserView.forOwner(user, java.util.List.of())))
                .build();
    }

    @POST
    @Path("Login")
    @PublicRoute
    @SecurityRequirementsSet
    @Operation(operationId = "login", summary = "Exchange credentials for an access/refresh token pair")
    @APIResponse(
            responseCode = "200",
            description = "Logged in",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "LoggedInUserResponse")))
    @APIResponse(responseCode = "401", description = "Wrong username or password")
    @APIResponse(responseCode = "422", description = "Missing username or password")
    @APIResponse(
            responseCode = "429",
            description = "Too many failed logins for this username; try again after Retry-After seconds",
            headers = @Header(name = "Retry-After", ref = "RetryAfter"))
    public LoggedInUserResponse login(@Valid @NotNull LoginRequest request) {
        return LoggedInUserResponse.of(logins.login(request.username(), request.password()));
    }

    @POST
    @Path("Refresh")
    @PublicRoute
    @SecurityRequirementsSet
    @Operation(operationId = "refresh", summary = "Rotate a token pair: the refresh token is single use")
    @APIResponse(
            responseCode = "200",
            description = "A new token pair",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "LoggedInUserResponse")))
    @APIResponse(
            responseCode = "401",
            description = "Unknown, used, revoked or expired refresh token, or foreign access token")
    @APIResponse(responseCode = "422", description = "Missing token")
    public LoggedInUserResponse refresh(@Valid @NotNull RefreshRequest request) {
        return LoggedInUserResponse.of(logins.refresh(request.accessToken(), request.refreshToken()));
    }

    @POST
    @Path("ApiKey")
    @SecurityRequirement(name = "bearer")
    @Operation(
            operationId = "createApiKey",
            summary = "Create an API key; the key is shown only in this response",
            description = "Needs an access token: an API key cannot create keys.")
    @APIResponse(
            responseCode = "201",
            description = "The new key",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(ref = "ApiKeyResponse")))
    @APIResponse(responseCode = "403", description = "Called with an API key")
    @APIResponse(responseCode = "409", description = "You already have a key with this name")
    @APIResponse(responseCode = "422", description = "Missing name or validUntil in the past")
    public Response createApiKey(@Valid @NotNull CreateApiKeyRequest request) {
        requireUserSession();
        ApiKeys.Created created = apiKeys.create(
                caller.userId(),
                request.name(),
                request.validUntil() == null ? null : request.validUntil().toInstant());
        return Response.status(Response.Status.CREATED)
                .entity(new ApiKeyResponse(
                        new ApiKeyResponse.CreatedApiKey(created.name(), created.key(), created.validUntil())))
                .build();
    }

    @DELETE
    @Path("ApiKey/{name}")
    @Produces({MediaType.APPLICATION_JSON, Problem.MEDIA_TYPE
    }) // only problems have a body: no 406 for clients asking for them
    @SecurityRequirement(name = "bearer")
    @Operation(
            operationId = "deleteApiKey",
            summary = "Delete one of your API keys; it stops working at once",
            description = "Needs an access token: an API key cannot delete keys.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "403", description = "Called with an API key")
    @APIResponse(responseCode = "404", description = "You have no key with this name")
    public Response deleteApiKey(@Parameter(ref = "apiKeyName") @PathParam("name") String name) {
        requireUserSession();
        apiKeys.delete(caller.userId(), name);
        return Response.noContent().build();
    }

    /** A leaked API key must not be able to mint or remove keys: that needs the user's own login. */
    private void requireUserSession() {
        caller.userId();
        if (caller.isViaApiKey()) {
            throw new RunnerException.Forbidden("API keys cannot manage API keys; use an access token");
        }
    }
}
