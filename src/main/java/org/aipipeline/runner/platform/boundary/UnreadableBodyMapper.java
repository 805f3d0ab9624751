package org.aipipeline.runner.platform.boundary;

import jakarta.json.JsonException;
import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not JSON, or not JSON of the expected shape, is a 400 that says where it broke.
 * Jersey wraps the JSON-B failure in a {@link ProcessingException} while reading the entity, so
 * that is the type mapped here; a processing failure without a JSON cause stays a 500.
 */
@Provider
public class UnreadableBodyMapper implements ExceptionMapper<ProcessingException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(ProcessingException e) {
        Throwable jsonCause = null;
        for (Throwable t = e; t != null && jsonCause == null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof JsonbException || t instanceof JsonException) {
                jsonCause = t;
            }
        }
        if (jsonCause == null) {
            return UnexpectedExceptionMapper.toProblem(request, e);
        }
        Throwable root = jsonCause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? "" : ": " + root.getMessage();
        return ProblemResponses.build(
                request, 400, "Bad Request", "The request body is not valid JSON of the expected shape" + reason);
    }
}
