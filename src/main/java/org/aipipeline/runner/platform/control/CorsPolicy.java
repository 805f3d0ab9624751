package org.aipipeline.runner.platform.control;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which web pages of other origins may call the API from a browser (CORS). Off unless origins are
 * listed: a browser then lets no other site read any answer, and a preflight gets no permission.
 * Origins are matched exactly (scheme, host and port, as browsers send them in {@code Origin});
 * there are no wildcards and no credentials mode, because tokens travel in {@code Authorization},
 * which the page's script sets itself. Pure: the boundary filter asks, this decides.
 */
public final class CorsPolicy {

    public static final String ALLOWED_METHODS = "GET, POST, PUT, PATCH, DELETE";
    public static final String ALLOWED_HEADERS =
            "Authorization, Content-Type, Last-Event-ID, Idempotency-Key, X-Request-Id";
    public static final String EXPOSED_HEADERS = "Location, Retry-After, Content-Disposition, X-Request-Id";

    private final Set<String> origins;
    private final String maxAgeSeconds;

    private CorsPolicy(Set<String> origins, Duration maxAge) {
        this.origins = Set.copyOf(origins);
        this.maxAgeSeconds = Long.toString(maxAge.toSeconds());
    }

    /**
     * @param allowedOrigins comma-separated origins such as {@code https://dashboard.example.com};
     *                       null or blank = CORS off
     * @param maxAge         how long a browser may cache a preflight answer
     * @throws IllegalArgumentException naming the entry that is not an origin
     */
    public static CorsPolicy of(String allowedOrigins, Duration maxAge) {
        if (maxAge.isNegative()) {
            throw new IllegalArgumentException("http.cors.max-age must not be negative: " + maxAge);
        }
        Set<String> origins = new LinkedHashSet<>();
        if (allowedOrigins != null) {
            for (String entry : allowedOrigins.split(",")) {
                if (!entry.isBlank()) {
                    origins.add(normalize(entry.strip()));
                }
            }
        }
        return new CorsPolicy(origins, maxAge);
    }

    /** An origin as a browser serializes it: lower-case scheme and host, default port left out. */
    static String normalize(String entry) {
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            throw notAnOrigin(entry, "it does not parse as a URL");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"https".equals(scheme) && !"http".equals(scheme)) {
            throw notAnOrigin(entry, "it needs the scheme http:// or https://");
        }
        if (uri.getHost() == null || uri.getRawUserInfo() != null) {
            throw notAnOrigin(entry, "it needs a host name and nothing before it");
        }
        String path = uri.getRawPath();
        if (path != null && !path.isEmpty() && !path.equals("/")
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw notAnOrigin(entry, "an origin has no path, query or fragment");
        }
        int port = uri.getPort();
        boolean defaultPort =
                port == -1 || scheme.equals("https") && port == 443 || scheme.equals("http") && port == 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }

    private static IllegalArgumentException notAnOrigin(String entry, String why) {
        return new IllegalArgumentException("http.cors.allowed-origins: '" + entry + "' is not an origin (" + why
                + "); list exact origins such as https://dashboard.example.com, separated by commas");
    }

    /** Whether any origin is allowed at all. */
    public boolean enabled() {
        return !origins.isEmpty();
    }

    /** Whether a page of this origin (the request's {@code Origin} header, may be null) may read answers. */
    public boolean allows(String origin) {
        return origin != null && origins.contains(origin);
    }

    /** A CORS preflight: OPTIONS asking, for a page of another origin, whether a request may be sent. */
    public static boolean isPreflight(String method, String origin, String requestedMethod) {
        return origin != null && requestedMethod != null && "OPTIONS".equals(method);
    }

    /** Seconds a browser may cache a preflight answer, as the {@code Access-Control-Max-Age} value. */
    public String maxAgeSeconds() {
        return maxAgeSeconds;
    }

    /** The allowed origins, normalized, for the start-up log. */
    public Set<String> origins() {
        return origins;
    }
}
