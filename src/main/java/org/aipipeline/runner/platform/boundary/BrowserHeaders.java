package org.aipipeline.runner.platform.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.aipipeline.runner.platform.control.CorsPolicy;
import org.aipipeline.runner.platform.control.SecurityHeaders;
import org.aipipeline.runner.platform.control.StaticCaching;

/**
 * Puts the headers meant for browsers on every response: the security headers of
 * {@link SecurityHeaders}, and CORS permission for the origins {@link CorsPolicy} allows (a
 * preflight from such an origin is answered here, before authentication, since browsers send
 * it without credentials). A servlet filter, not a JAX-RS one, so that static files (Swagger UI),
 * MP OpenAPI and Health, and container errors carry the headers too; it also runs on the error
 * dispatch, because a request the security layer rejects (MP-JWT's 401) reaches the filters only
 * there. Static files also get their {@link StaticCaching} Cache-Control. Everything is computed at start-up ({@link BrowserHeaderSettings}): per request it sets
 * precomputed strings.
 */
@WebFilter(
        urlPatterns = "/*",
        asyncSupported = true,
        dispatcherTypes = {DispatcherType.REQUEST, DispatcherType.ERROR})
public class BrowserHeaders implements Filter {

    @Inject
    BrowserHeaderSettings settings;

    private SecurityHeaders security;
    private CorsPolicy cors;

    @Override
    public void init(FilterConfig config) {
        // plain fields, so that requests do not go through the bean's proxy
        security = settings.security();
        cors = settings.cors();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("X-Content-Type-Options", SecurityHeaders.NOSNIFF);
        response.setHeader("Referrer-Policy", SecurityHeaders.NO_REFERRER);
        response.setHeader("X-Frame-Options", SecurityHeaders.FRAME_DENY);
        String policy = security.contentSecurityPolicy(request.getServletPath());
        response.setHeader("Content-Security-Policy", policy);
        String hsts = security.strictTransportSecurity(
                request.isSecure(), security.trustsForwardedProto() ? request.getHeader("X-Forwarded-Proto") : null);
        if (hsts != null) {
            response.setHeader("Strict-Transport-Security", hsts);
        }
        // Only pages are static files; an API response (most requests) skips the path check here.
        if (SecurityHeaders.PAGE_POLICY.equals(policy) && request.getDispatcherType() == DispatcherType.REQUEST) {
            response.setHeader("Cache-Control", StaticCaching.cacheControl(request.getServletPath()));
        }
        if (cors.enabled() && crossOrigin(request, response)) {
            return;
        }
        chain.doFilter(req, res);
    }

    /** Adds CORS permission for an allowed origin; true when this answered a preflight. */
    private boolean crossOrigin(HttpServletRequest request, HttpServletResponse response) {
        // Caches must keep answers for different origins apart, allowed or not.
        response.setHeader("Vary", "Origin");
        String origin = request.getHeader("Origin");
        if (!cors.allows(origin)) {
            return false;
        }
        response.setHeader("Access-Control-Allow-Origin", origin);
        if (request.getDispatcherType() == DispatcherType.REQUEST
                && CorsPolicy.isPreflight(
                        request.getMethod(), origin, request.getHeader("Access-Control-Request-Method"))) {
            response.setHeader("Access-Control-Allow-Methods", CorsPolicy.ALLOWED_METHODS);
            response.setHeader("Access-Control-Allow-Headers", CorsPolicy.ALLOWED_HEADERS);
            response.setHeader("Access-Control-Max-Age", cors.maxAgeSeconds());
            response.setStatus(HttpServletResponse.SC_NO_CONTENT);
            return true;
        }
        response.setHeader("Access-Control-Expose-Headers", CorsPolicy.EXPOSED_HEADERS);
        return false;
    }
}
