package org.aipipeline.runner.platform.boundary;

import jakarta.ejb.EJBException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * Payara does not reliably unwrap EJB-wrapped exceptions before JAX-RS mapping (payara#6828):
 * unwrap here and hand the cause to the mapper that owns it.
 */
@Provider
public class EjbExceptionMapper implements ExceptionMapper<EJBException> {

    @Context
    HttpServletRequest request;

    @Override
    public Response toResponse(EJBException e) {
        Throwable cause = e;
        while (cause instanceof EJBException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof RunnerException runner) {
            return RunnerExceptionMapper.toProblem(request, runner);
        }
        if (cause instanceof ConstraintViolationException violations) {
            return ConstraintViolationMapper.toProblem(request, violations);
        }
        if (cause instanceof WebApplicationException web) {
            return WebApplicationExceptionMapper.toProblem(request, web);
        }
        return UnexpectedExceptionMapper.toProblem(request, cause);
    }
}
