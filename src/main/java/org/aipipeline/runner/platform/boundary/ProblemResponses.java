package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.platform.entity.Problem;

/** Builds every problem response, so all errors share one shape and carry the request id. */
final class ProblemResponses {

    private ProblemResponses() {}

    static Response build(HttpServletRequest request, int status, String title, String detail) {
        return build(request, status, title, detail, List.of(), Map.of());
    }

    static Response build(
            HttpServletRequest request,
            int status,
            String title,
            String detail,
            List<FieldError> errors,
            Map<String, Object> extensions) {
        return Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(Problem.of(status, title, detail, errors, extensions, RequestLogging.requestId(request)))
                .build();
    }

    static String reasonPhrase(int status) {
        Response.Status known = Response.Status.fromStatusCode(status);
        return known != null ? known.getReasonPhrase() : "Error";
    }
}
