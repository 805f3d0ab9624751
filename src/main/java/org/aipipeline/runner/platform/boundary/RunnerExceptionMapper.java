package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.platform.control.RunnerException;

@Provider
public class RunnerExceptionMapper implements ExceptionMapper<RunnerException> {

    private static final System.Logger LOG = System.getLogger(RunnerExceptionMapper.class.getName());

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(RunnerException e) {
        return toProblem(request, e);
    }

    static Response toProblem(HttpServletRequest request, RunnerException e) {
        if (e.status() >= 500) {
            LOG.log(Level.ERROR, "request {0}: {1}", RequestLogging.requestId(request), e.getMessage());
        } else if (e.status() == 401 || e.status() == 403) {
            LOG.log(Level.WARNING, "request {0}: {1}", RequestLogging.requestId(request), e.getMessage());
        } else {
            LOG.log(Level.DEBUG, "request {0}: {1}", RequestLogging.requestId(request), e.getMessage());
        }
        Response response =
                ProblemResponses.build(request, e.status(), e.title(), e.getMessage(), e.fieldErrors(), e.extensions());
        if (e instanceof RunnerException.TooManyRequests tooMany) {
            return Response.fromResponse(response)
                    .header("Retry-After", tooMany.retryAfterSeconds())
                    .build();
        }
        if (e instanceof RunnerException.Unavailable) {
            return Response.fromResponse(response)
                    .header("Retry-After", UnexpectedExceptionMapper.RETRY_AFTER_SECONDS)
                    .build();
        }
        if (e instanceof RunnerException.Unauthorized) {
            return Response.fromResponse(response)
                    .header("WWW-Authenticate", "Bearer")
                    .build();
        }
        return response;
    }
}
