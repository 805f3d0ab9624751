package org.aipipeline.runner.events.boundary;

import jakarta.annotation.Priority;
import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.lang.reflect.Method;
import java.util.UUID;
import org.aipipeline.runner.events.control.StreamTokenKey;
import org.aipipeline.runner.platform.boundary.CurrentCaller;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.control.KnownUsers;

/**
 * Authenticates a {@link StreamTokenRoute} call that carries {@code ?token=}, before the usual
 * authentication (which then sees the caller established and checks nothing more). Only a stream
 * token for exactly this stream is accepted there: an access token or API key in the URL is
 * refused (URLs end up in logs and browser history; those credentials go in Authorization only).
 * Without {@code ?token=} the route authenticates as any other.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 10)
public class StreamTokenAuthentication implements ContainerRequestFilter {

    @Context
    ResourceInfo resource;

    @Inject
    CurrentCaller caller;

    @Inject
    StreamTokenKey key;

    @Inject
    KnownUsers users;

    @Override
    public void filter(ContainerRequestContext request) {
        Method method = resource.getResourceMethod();
        StreamTokenRoute route = method == null ? null : method.getAnnotation(StreamTokenRoute.class);
        if (route == null) {
            return;
        }
        String token = request.getUriInfo().getQueryParameters().getFirst("token");
        if (token == null) {
            return;
        }
        UUID id = Ids.parse(
                route.idParam(), request.getUriInfo().getPathParameters().getFirst(route.idParam()));
        UUID userId = key.tokens()
                .userFor(token, route.kind(), id, DatabaseTime.now())
                .filter(users::exists)
                .orElseThrow(() -> new RunnerException.Unauthorized("token is not a valid stream token for this "
                        + route.kind() + ": create one with POST .../EventsToken (it works for 60 s, for this stream "
                        + "only); access tokens and API keys are accepted only in the Authorization header"));
        caller.authenticate(userId, CurrentCaller.Via.STREAM_TOKEN);
    }
}
