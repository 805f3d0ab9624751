package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.entity.FieldError;

/**
 * Bean Validation failures on a request body become a 422 naming each field by its JSON path
 * ({@code steps[0].nodeId}); a missing body altogether is a 400, since there is nothing to fix
 * field by field.
 */
@Provider
public class ConstraintViolationMapper implements ExceptionMapper<ConstraintViolationException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(ConstraintViolationException e) {
        return toProblem(request, e);
    }

    static Response toProblem(HttpServletRequest request, ConstraintViolationException e) {
        List<FieldError> errors = new ArrayList<>();
        boolean bodyMissing = false;
        for (ConstraintViolation<?> violation : e.getConstraintViolations()) {
            String field = jsonPath(violation.getPropertyPath());
            if (field.isEmpty()) {
                bodyMissing = true;
            }
            errors.add(new FieldError(field.isEmpty() ? "body" : field, violation.getMessage()));
        }
        errors.sort(Comparator.comparing(FieldError::field).thenComparing(FieldError::message));
        if (bodyMissing) {
            return ProblemResponses.build(request, 400, "Bad Request", "A JSON request body is required");
        }
        return ProblemResponses.build(
                request,
                422,
                "Unprocessable Content",
                "The request has invalid fields: "
                        + String.join(
                                ", ",
                                errors.stream()
                                        .map(FieldError::field)
                                        .distinct()
                                        .toList()),
                errors,
                Map.of());
    }

    /** Drops the method and parameter nodes of the path: what is left is the field inside the body. */
    private static String jsonPath(Path path) {
        StringBuilder out = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD
                    || node.getKind() == ElementKind.PARAMETER
                    || node.getKind() == ElementKind.CROSS_PARAMETER
                    || node.getKind() == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (node.getName() == null) {
                continue;
            }
            if (!out.isEmpty()) {
                out.append('.');
            }
            out.append(node.getName());
            if (node.getIndex() != null) {
                out.append('[').append(node.getIndex()).append(']');
            }
        }
        return out.toString();
    }
}
