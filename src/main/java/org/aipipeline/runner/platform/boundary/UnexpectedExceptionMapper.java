package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;

/** Last resort: logs once with the request id and answers 500 without leaking internals. */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Throwable> {

    private static final System.Logger LOG = System.getLogger(UnexpectedExceptionMapper.class.getName());

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(Throwable e) {
        return toProblem(request, e);
    }

    static Response toProblem(HttpServletRequest request, Throwable e) {
        String requestId = RequestLogging.requestId(request);
        LOG.log(Level.ERROR, "request " + requestId + " failed unexpectedly", e);
        return ProblemResponses.build(request, 500, "Internal Server Error",
                "Unexpected error; quote request id " + requestId + " when reporting it");
    }
}
