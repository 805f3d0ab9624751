package org.aipipeline.runner.platform.boundary;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Gives every request an id (the caller's {@code X-Request-Id} if it is sane, else a new one),
 * echoes it in the response and logs one line per request. A servlet filter rather than a JAX-RS
 * filter so that container-generated errors (401 from MP-JWT, unknown paths) carry it too.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class RequestLogging implements Filter {

    public static final String HEADER = "X-Request-Id";
    private static final String ATTRIBUTE = RequestLogging.class.getName() + ".id";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final System.Logger LOG = System.getLogger(RequestLogging.class.getName());

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String id = assignId(request, response);
        long start = System.nanoTime();
        try {
            chain.doFilter(req, res);
        } finally {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(
                        Level.DEBUG,
                        "{0} {1} {2} -> {3} in {4} ms",
                        id,
                        request.getMethod(),
                        request.getRequestURI(),
                        response.getStatus(),
                        (System.nanoTime() - start) / 1_000_000);
            }
        }
    }

    /**
     * Gives the request its id unless it has one. Also used by the error page: requests that the
     * security layer rejects never reach this filter.
     */
    static String assignId(HttpServletRequest request, HttpServletResponse response) {
        String id = requestId(request);
        if (id == null) {
            String incoming = request.getHeader(HEADER);
            id = incoming != null && SANE.matcher(incoming).matches()
                    ? incoming
                    : UUID.randomUUID().toString();
            request.setAttribute(ATTRIBUTE, id);
        }
        response.setHeader(HEADER, id);
        return id;
    }

    public static String requestId(HttpServletRequest request) {
        if (request == null) {
            return null;
        }
        try {
            Object id = request.getAttribute(ATTRIBUTE);
            return id == null ? null : id.toString();
        } catch (IllegalStateException outsideRequest) {
            return null;
        }
    }
}
