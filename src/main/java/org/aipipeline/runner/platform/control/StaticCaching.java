package org.aipipeline.runner.platform.control;

/**
 * How long a browser may keep what the WAR serves as files. A WebJar's path carries its version
 * ({@code /webjars/swagger-ui/5.17.14/...}), so its bytes never change under that path: kept for a
 * year without asking again. The dashboard's own modules and pages have no version in their paths
 * (ES modules import each other by relative path), so the browser must revalidate them on every
 * use; the container answers that with a 304 from {@code Last-Modified}, so a deploy is seen at
 * once and an unchanged file costs no bytes. API responses are left alone.
 */
public final class StaticCaching {

    public static final String IMMUTABLE = "public, max-age=31536000, immutable";
    public static final String REVALIDATE = "no-cache";

    private StaticCaching() {}

    /** The Cache-Control for a context-relative path, or null for what is not a static file. */
    public static String cacheControl(String path) {
        if (path == null || SecurityHeaders.isApi(path)) {
            return null;
        }
        return path.startsWith("/webjars/") ? IMMUTABLE : REVALIDATE;
    }
}
