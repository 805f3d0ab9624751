package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.NoContentException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** JAX-RS's own errors (unknown route, wrong method, wrong media type, unreadable body) as problems. */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(WebApplicationException e) {
        return toProblem(request, e);
    }

    static Response toProblem(HttpServletRequest request, WebApplicationException e) {
        int status = e.getResponse() != null ? e.getResponse().getStatus() : 500;
        String detail;
        if (e instanceof NotFoundException) {
            detail = "No resource at " + request.getMethod() + " " + request.getRequestURI();
        } else if (e instanceof NotAllowedException) {
            detail = "Method " + request.getMethod() + " is not allowed here; allowed: "
                    + e.getResponse().getAllowedMethods();
        } else if (e instanceof NotSupportedException) {
            String reason = e.getMessage();
            detail = (request.getContentType() == null
                            ? "No Content-Type"
                            : "Unsupported Content-Type '" + request.getContentType() + "'")
                    + ": "
                    + (reason != null && !reason.startsWith("HTTP 415")
                            ? reason
                            : "send JSON bodies as application/json (uploads as multipart/form-data)");
        } else if (status == 400 && e.getCause() instanceof NoContentException) {
            detail = "The request needs a body: send it as application/json";
        } else if (status == 400) {
            detail = "The request is malformed: " + e.getMessage();
        } else {
            detail = e.getMessage();
        }
        if (status >= 500) {
            return UnexpectedExceptionMapper.toProblem(request, e);
        }
        Response built = ProblemResponses.build(request, status, ProblemResponses.reasonPhrase(status), detail);
        if (e instanceof NotAllowedException) {
            return Response.fromResponse(built)
                    .allow(e.getResponse().getAllowedMethods())
                    .build();
        }
        return built;
    }
}
