package org.aipipeline.runner.platform.boundary;

import jakarta.json.bind.JsonbException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A body that is not JSON, or not JSON of the expected shape, is a 400 that says where it broke. */
@Provider
public class UnreadableBodyMapper implements ExceptionMapper<JsonbException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(JsonbException e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String reason = root.getMessage() == null ? "" : ": " + root.getMessage();
        return ProblemResponses.build(request, 400, "Bad Request",
                "The request body is not valid JSON of the expected shape" + reason);
    }
}
