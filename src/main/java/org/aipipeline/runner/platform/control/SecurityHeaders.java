package org.aipipeline.runner.platform.control;

import java.time.Duration;

/**
 * The response headers that tell a browser what it may do with what the runner sends, decided once
 * from the settings so that the per-request work is a few comparisons and no allocation:
 * <ul>
 *   <li>every response: {@code X-Content-Type-Options: nosniff} (a JSON body is never run as a
 *       script or page), {@code Referrer-Policy: no-referrer} (URLs with ids never leak to other
 *       sites), {@code X-Frame-Options: DENY} and CSP {@code frame-ancestors 'none'} (no framing,
 *       so no clickjacking);</li>
 *   <li>a Content-Security-Policy that allows nothing for the API (JSON, problem details,
 *       {@code /openapi}, {@code /health}), and for the WAR's pages (Swagger UI, later the
 *       dashboard) scripts, styles, images and fetches from the runner itself only: nothing inline,
 *       nothing foreign, no {@code eval};</li>
 *   <li>{@code Strict-Transport-Security} only on a request that arrived over TLS: on plain HTTP
 *       browsers ignore it, and a runner reached over HTTP must stay reachable. A TLS-terminating
 *       proxy is believed ({@code X-Forwarded-Proto: https}) only when configured as trusted, since
 *       any client can send the header.</li>
 * </ul>
 */
public final class SecurityHeaders {

    public static final String NOSNIFF = "nosniff";
    public static final String NO_REFERRER = "no-referrer";
    public static final String FRAME_DENY = "DENY";

    /** For everything that is data, not a page: load nothing, be framed by nothing. */
    public static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";

    /**
     * For the WAR's pages: scripts, styles, images and fetches of the runner's own origin only (plus
     * {@code data:} images, which Swagger UI's stylesheet uses for its icons). Swagger UI 5 needs
     * nothing inline: it sets styles through the DOM, which {@code style-src} does not govern.
     */
    public static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /** Path prefixes (context-relative) served as data: the REST API, MP OpenAPI, MP Health, the error page. */
    private static final String[] API_PREFIXES = {"/api/", "/openapi", "/health", "/metrics", "/error-page"};

    private final String strictTransportSecurity;
    private final boolean trustForwardedProto;

    /**
     * @param hstsMaxAge          how long a browser keeps to HTTPS after a TLS response (zero tells it to forget)
     * @param trustForwardedProto whether {@code X-Forwarded-Proto: https} marks a request as TLS
     *                            (only behind a proxy that sets or strips that header)
     */
    public SecurityHeaders(Duration hstsMaxAge, boolean trustForwardedProto) {
        if (hstsMaxAge.isNegative()) {
            throw new IllegalArgumentException("http.hsts.max-age must not be negative: " + hstsMaxAge);
        }
        this.strictTransportSecurity = "max-age=" + hstsMaxAge.toSeconds();
        this.trustForwardedProto = trustForwardedProto;
    }

    /** The Content-Security-Policy for a request to this context-relative path. */
    public String contentSecurityPolicy(String path) {
        return isApi(path) ? API_POLICY : PAGE_POLICY;
    }

    static boolean isApi(String path) {
        if (path == null) {
            return true;
        }
        for (String prefix : API_PREFIXES) {
            if (path.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The Strict-Transport-Security value for a request, or null when it did not come over TLS.
     *
     * @param secure        whether the container received it over TLS
     * @param forwardedProto its {@code X-Forwarded-Proto} header, or null
     */
    public String strictTransportSecurity(boolean secure, String forwardedProto) {
        if (secure
                || trustForwardedProto && forwardedProto != null && "https".equalsIgnoreCase(forwardedProto.strip())) {
            return strictTransportSecurity;
        }
        return null;
    }

    /** Whether the {@code X-Forwarded-Proto} header is worth reading at all. */
    public boolean trustsForwardedProto() {
        return trustForwardedProto;
    }
}
