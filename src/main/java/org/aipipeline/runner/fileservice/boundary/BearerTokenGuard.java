package org.aipipeline.runner.fileservice.boundary;

import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.fileservice.entity.BearerToken;

/**
 * Lets a call through only if it carries the File Service's token ({@code authorization: Bearer
 * <token>}); any other call ends UNAUTHENTICATED before the endpoint sees a message, unary and
 * streaming alike. The refusal says what is missing or wrong, never what the token is.
 */
final class BearerTokenGuard implements ServerInterceptor {

    private static final System.Logger LOG = System.getLogger(BearerTokenGuard.class.getName());

    static final String MISSING =
            "This File Service requires a token: send the metadata 'authorization: Bearer <token>' "
                    + "with the token configured as FILES_SERVICE_TOKEN";
    static final String NOT_BEARER = "The authorization metadata must be 'Bearer <token>'";
    static final String WRONG = "The token in the authorization metadata is not this File Service's token";

    private final BearerToken token;

    BearerTokenGuard(BearerToken token) {
        this.token = token;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        String authorization = headers.get(BearerToken.AUTHORIZATION);
        if (token.isCarriedBy(authorization)) {
            return next.startCall(call, headers);
        }
        String refusal = authorization == null ? MISSING : BearerToken.isBearer(authorization) ? WRONG : NOT_BEARER;
        LOG.log(
                Level.WARNING,
                "Refused a File Service call ({0}) from {1}: {2}",
                call.getMethodDescriptor().getBareMethodName(),
                call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR),
                refusal);
        call.close(Status.UNAUTHENTICATED.withDescription(refusal), new Metadata());
        return new ServerCall.Listener<>() {
            // the call is closed: whatever the client still sends is dropped
        };
    }
}
