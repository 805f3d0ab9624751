package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.platform.control.DatabaseFailures;

/**
 * Last resort: logs once with the request id and answers 500 without leaking internals; except when
 * the failure is the database being unreachable, which is a 503 with {@code Retry-After} (the pool
 * reconnects by itself once the database is back).
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final System.Logger LOG = System.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable e) {
        return toProblem(request, e);
    }

    /** Seconds a client should wait before retrying a 503 (database, broker or File Service unavailable). */
    static final int RETRY_AFTER_SECONDS = 5;

    static Response toProblem(HttpServletRequest request, Throwable e) {
        String requestId = RequestLogging.requestId(request);
        if (DatabaseFailures.isUnavailable(e)) {
            LOG.log(Level.ERROR, "request {0}: the database is unavailable: {1}", requestId, rootMessage(e));
            Response problem = ProblemResponses.build(
                    request,
                    503,
                    "Service Unavailable",
                    "The database is unavailable; nothing was changed. Retry in a few seconds");
            return Response.fromResponse(problem)
                    .header("Retry-After", RETRY_AFTER_SECONDS)
                    .build();
        }
        LOG.log(Level.ERROR, "request " + requestId + " failed unexpectedly", e);
        return ProblemResponses.build(
                request,
                500,
                "Internal Server Error",
                "Unexpected error; quote request id " + requestId + " when reporting it");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        for (int i = 0; i < 64 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
