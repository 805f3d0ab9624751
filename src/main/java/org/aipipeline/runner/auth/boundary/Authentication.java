package org.aipipeline.runner.auth.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.aipipeline.runner.auth.control.ApiKeys;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.PublicRoute;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.control.KnownUsers;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Establishes the {@link CurrentCaller} for every route not marked {@link PublicRoute}.
 * A {@code Bearer} token has already been verified by MicroProfile JWT (signature, issuer,
 * audience, expiry) before JAX-RS runs; anything else in {@code Authorization} is an API key.
 * Either way the user must still exist, so a deleted account's tokens stop working at once.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class Authentication implements ContainerRequestFilter {

    private static final String BEARER = "Bearer ";

    @Context
    ResourceInfo resource;

    @Inject
    CurrentCaller caller;

    @Inject
    ApiKeys apiKeys;

    @Inject
    SecurityContext security;

    @Context
    HttpServletRequest httpRequest;

    @Context
    HttpServletResponse httpResponse;

    @Inject
    KnownUsers users;

    @Override
    public void filter(ContainerRequestContext request) {
        if (isPublic() || caller.isAuthenticated()) {
            return;
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || header.isBlank()) {
            throw new RunnerException.Unauthorized(
                    "Missing credentials: send 'Authorization: Bearer <accessToken>' or 'Authorization: <apiKey>'");
        }
        if (header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            // MP-JWT has normally verified the token (signature, issuer, audience, expiry) before
            // JAX-RS runs; if the container skipped it for this URL, ask Jakarta Security to run it.
            JsonWebToken token = verifiedToken();
            if (token == null
                    && security.authenticate(httpRequest, httpResponse, AuthenticationParameters.withParams())
                            == AuthenticationStatus.SUCCESS) {
                token = verifiedToken();
            }
            if (token == null) {
                throw new RunnerException.Unauthorized("Invalid or expired access token");
            }
            UUID userId = parseSubject(token.getSubject());
            if (!users.exists(userId)) {
                throw new RunnerException.Unauthorized("The user of this access token no longer exists");
            }
            caller.authenticate(userId, CurrentCaller.Via.ACCESS_TOKEN);
            return;
        }
        UUID owner = apiKeys.ownerOf(header.trim(), DatabaseTime.now())
                .orElseThrow(() -> new RunnerException.Unauthorized("Unknown, deleted or expired API key"));
        caller.authenticate(owner, CurrentCaller.Via.API_KEY);
    }

    private JsonWebToken verifiedToken() {
        return security.getPrincipalsByType(JsonWebToken.class).stream()
                .findFirst()
                .orElse(null);
    }

    private boolean isPublic() {
        return resource.getResourceMethod() != null
                && (resource.getResourceMethod().isAnnotationPresent(PublicRoute.class)
                        || resource.getResourceClass().isAnnotationPresent(PublicRoute.class));
    }

    private static UUID parseSubject(String subject) {
        try {
            return UUID.fromString(subject);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new RunnerException.Unauthorized("The access token has no valid subject");
        }
    }
}
