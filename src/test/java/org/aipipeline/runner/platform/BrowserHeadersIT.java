package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.RawHttp;
import org.aipipeline.runner.testing.RunnerDeployment;
import org.aipipeline.runner.testing.Session;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

/**
 * The headers meant for browsers, on every kind of response the runner gives: JSON from a
 * resource, problem details from an exception mapper, the security layer and the container's
 * error page, static files (Swagger UI), MP OpenAPI and MP Health. The failsafe configuration
 * allows the one origin {@value #LISTED} for CORS and trusts {@code X-Forwarded-Proto} (as behind
 * a TLS-terminating proxy); {@code HttpDefaultsIT} checks the defaults with neither.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BrowserHeadersIT {

    static final String LISTED = "https://dashboard.example.test";
    private static final String UNLISTED = "https://elsewhere.example.test";
    private static final String API_POLICY = "default-src 'none'; frame-ancestors 'none'";
    private static final String PAGE_POLICY =
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return RunnerDeployment.war();
    }

    @ArquillianResource
    URL url;

    /** One kind of response: how to get it, the status it has and whether it is a page. */
    private record Kind(String name, Function<Api, Api.Reply> request, int status, boolean page) {}

    @Test
    void everyKindOfResponseCarriesTheSecurityHeaders() throws Exception {
        Api api = new Api(url);
        Session session = Session.register(api);
        Session other = Session.register(api);
        List<Kind> kinds = List.of(
                new Kind(
                        "JSON from a resource",
                        a -> a.get("api/v1/Users/" + session.userId(), session.bearer()),
                        200,
                        false),
                new Kind(
                        "201 with Location",
                        a -> a.post(
                                "api/v1/Auth/Register",
                                null,
                                "{\"username\":\"h-" + session.username()
                                        + "\",\"password\":\"correct horse battery\"}"),
                        201,
                        false),
                new Kind("422 problem (Bean Validation)", a -> a.post("api/v1/Auth/Register", null, "{}"), 422, false),
                new Kind("400 problem (malformed JSON)", a -> a.post("api/v1/Auth/Register", null, "{"), 400, false),
                new Kind("401 without a token (our filter)", a -> a.get("api/v1/Nodes", null), 401, false),
                new Kind(
                        "401 for a forged token (MP-JWT, error page)",
                        a -> a.get("api/v1/Nodes", "Bearer a.b.c"),
                        401,
                        false),
                new Kind(
                        "403 problem (not your account)",
                        a -> a.put(
                                "api/v1/Users/" + other.userId(),
                                session.bearer(),
                                "{\"username\":\"x-" + other.username() + "\"}"),
                        403,
                        false),
                new Kind(
                        "404 for an unknown API path (JAX-RS)",
                        a -> a.get("api/v1/NoSuchThing", session.bearer()),
                        404,
                        false),
                new Kind(
                        "404 for an unknown path (container, error page)",
                        a -> a.get("no/such/page", null),
                        404,
                        false),
                new Kind("405 wrong method", a -> a.delete("api/v1/Nodes", session.bearer()), 405, false),
                new Kind("MP OpenAPI", a -> a.get("openapi", null), 200, false),
                new Kind("MP Health readiness", a -> a.get("health/ready", null), 200, false),
                new Kind("MP Health liveness", a -> a.get("health/live", null), 200, false),
                new Kind("Swagger UI page", a -> a.get("swagger/", null), 200, true),
                new Kind("Swagger UI script of the WAR", a -> a.get("swagger/swagger-initializer.js", null), 200, true),
                new Kind(
                        "Swagger UI stylesheet of the webjar",
                        a -> a.get("webjars/swagger-ui/5.17.14/swagger-ui.css", null),
                        200,
                        true));
        List<Executable> checks = new ArrayList<>();
        for (Kind kind : kinds) {
            Api.Reply reply = kind.request().apply(api);
            checks.add(() -> assertEquals(kind.status(), reply.status(), kind.name() + ": " + reply));
            checks.add(() -> assertSecurityHeaders(kind.name(), reply::header, kind.page()));
            checks.add(() -> assertFalse(
                    reply.header("Strict-Transport-Security").isPresent(), kind.name() + ": no HSTS over plain HTTP"));
            checks.add(() -> assertNoCors(kind.name(), reply));
        }
        RawHttp tooLarge = RawHttp.exchange(
                url,
                "POST",
                "api/v1/Auth/Login",
                List.of("Content-Type: application/json"),
                ("{\"username\":\"" + "x".repeat(9 << 20) + "\"}").getBytes(StandardCharsets.UTF_8),
                true);
        checks.add(() -> assertEquals(413, tooLarge.status(), "413 problem for a chunked body over the limit"));
        checks.add(() -> assertSecurityHeaders("413 problem", tooLarge::header, false));
        assertAll("security headers", checks);
    }

    private static void assertSecurityHeaders(String kind, Function<String, Optional<String>> header, boolean page) {
        assertEquals(Optional.of("nosniff"), header.apply("X-Content-Type-Options"), kind);
        assertEquals(Optional.of("no-referrer"), header.apply("Referrer-Policy"), kind);
        assertEquals(Optional.of("DENY"), header.apply("X-Frame-Options"), kind + ": ours, not Payara's SAMEORIGIN");
        assertEquals(Optional.of(page ? PAGE_POLICY : API_POLICY), header.apply("Content-Security-Policy"), kind);
    }

    private static void assertNoCors(String kind, Api.Reply reply) {
        List<String> cors = reply.response().headers().map().keySet().stream()
                .filter(name -> name.toLowerCase().startsWith("access-control-"))
                .toList();
        assertTrue(cors.isEmpty(), kind + ": no CORS headers without an allowed Origin: " + cors);
    }

    /** Versioned WebJar files are kept for a year; the dashboard's unversioned modules are revalidated (304 when unchanged). */
    @Test
    void staticFilesCarryTheirCacheControl() throws Exception {
        Api api = new Api(url);
        Api.Reply webJar = api.get("webjars/swagger-ui/5.17.14/swagger-ui.css", null);
        Api.Reply module = api.get("dashboard/main.js", null);
        Api.Reply json = api.get("openapi", null);
        Optional<String> lastModified = module.header("Last-Modified");
        assertAll(
                "cache headers",
                () -> assertEquals(Optional.of("public, max-age=31536000, immutable"), webJar.header("Cache-Control")),
                () -> assertEquals(200, module.status()),
                () -> assertEquals(Optional.of("no-cache"), module.header("Cache-Control")),
                () -> assertTrue(lastModified.isPresent(), "a revalidated file needs a validator"),
                () -> assertFalse(json.header("Cache-Control")
                        .filter(v -> v.contains("immutable"))
                        .isPresent()));
        Api.Reply again = api.send(HttpRequest.newBuilder(api.uri("dashboard/main.js"))
                .header("If-Modified-Since", lastModified.orElseThrow())
                .GET());
        assertEquals(304, again.status(), "an unchanged module costs no bytes");
    }

    /** Swagger UI works under its policy: no inline script, and every script and stylesheet it names loads from here. */
    @Test
    void swaggerUiNeedsNothingItsPolicyForbids() {
        Api api = new Api(url);
        String page = api.get("swagger/", null).body();
        Matcher scripts =
                Pattern.compile("<script([^>]*)>(.*?)</script>", Pattern.DOTALL).matcher(page);
        List<String> sources = new ArrayList<>();
        while (scripts.find()) {
            assertTrue(scripts.group(2).isBlank(), "no inline script: " + scripts.group());
            Matcher src = Pattern.compile("src=\"([^\"]+)\"").matcher(scripts.group(1));
            assertTrue(src.find(), "a script with a source: " + scripts.group());
            sources.add(src.group(1));
        }
        Matcher styles = Pattern.compile("<link[^>]*href=\"([^\"]+)\"").matcher(page);
        while (styles.find()) {
            sources.add(styles.group(1));
        }
        assertFalse(
                Pattern.compile("<style|\\sstyle=|\\son[a-z]+=|javascript:")
                        .matcher(page)
                        .find(),
                "no inline style or handler: " + page);
        assertEquals(3, sources.size(), "the bundle, the initializer and the stylesheet: " + sources);
        for (String source : sources) {
            assertFalse(source.contains("//"), "same origin: " + source);
            Api.Reply loaded = api.send(
                    HttpRequest.newBuilder(api.uri("swagger/").resolve(source)).GET());
            assertEquals(200, loaded.status(), source);
            assertTrue(
                    loaded.contentType().startsWith(source.endsWith(".css") ? "text/css" : "application/javascript"),
                    source + " " + loaded.contentType());
        }
        String initializer = api.get("swagger/swagger-initializer.js", null).body();
        assertTrue(
                initializer.contains("url: \"/openapi\"") && initializer.contains("validatorUrl: null"),
                "reads our document and sends it to no validator: " + initializer);
    }

    @Test
    void corsIsRefusedToAnUnlistedOrigin() {
        Api api = new Api(url);
        Session session = Session.register(api);
        Api.Reply preflight = api.send(preflight(api, "api/v1/Nodes", UNLISTED));
        assertNoCors("preflight from " + UNLISTED, preflight);
        assertTrue(preflight.status() >= 400, "not a permission: " + preflight);
        Api.Reply read = api.send(api.request("api/v1/Users/" + session.userId(), session.bearer())
                .header("Origin", UNLISTED)
                .GET());
        assertEquals(200, read.status(), read.toString());
        assertNoCors("GET from " + UNLISTED, read);
        assertEquals(List.of("Origin"), read.response().headers().allValues("Vary"), "caches keep origins apart");
    }

    @Test
    void theListedOriginGetsPreflightsAnsweredWithoutCredentialsAndMayReadAnswers() throws Exception {
        Api api = new Api(url);
        for (String path :
                List.of("api/v1/Nodes", "api/v1/Auth/Login", "api/v1/Pipelines/Awaited", "api/v1/NoSuchThing")) {
            Api.Reply preflight = api.send(preflight(api, path, LISTED));
            assertEquals(204, preflight.status(), path + ": " + preflight);
            assertEquals(Optional.of(LISTED), preflight.header("Access-Control-Allow-Origin"), path);
            assertEquals(List.of("Origin"), preflight.response().headers().allValues("Vary"), path);
            assertEquals(
                    Optional.of("GET, POST, PUT, PATCH, DELETE"),
                    preflight.header("Access-Control-Allow-Methods"),
                    path);
            assertEquals(
                    Optional.of("Authorization, Content-Type, Last-Event-ID, Idempotency-Key, X-Request-Id"),
                    preflight.header("Access-Control-Allow-Headers"),
                    path);
            assertEquals(Optional.of("600"), preflight.header("Access-Control-Max-Age"), path);
            assertFalse(preflight.header("Access-Control-Allow-Credentials").isPresent(), "no credentials mode");
            assertSecurityHeaders("preflight " + path, preflight::header, false);
        }
        Session session = Session.register(api);
        String username = "cors-" + session.username();
        Map<String, Api.Reply> answers = Map.of(
                "201 with Location",
                        api.send(api.request("api/v1/Auth/Register", null)
                                .header("Origin", LISTED)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"username\":\"" + username + "\",\"password\":\"correct horse battery\"}"))),
                "200",
                        api.send(api.request("api/v1/Users/" + session.userId(), session.bearer())
                                .header("Origin", LISTED)
                                .GET()),
                "401 from our filter",
                        api.send(api.request("api/v1/Nodes", null)
                                .header("Origin", LISTED)
                                .GET()),
                "401 from MP-JWT",
                        api.send(api.request("api/v1/Nodes", "Bearer a.b.c")
                                .header("Origin", LISTED)
                                .GET()),
                "404 from the container",
                        api.send(api.request("no/such/page", null)
                                .header("Origin", LISTED)
                                .GET()));
        answers.forEach((kind, reply) -> {
            assertEquals(Optional.of(LISTED), reply.header("Access-Control-Allow-Origin"), kind + ": " + reply);
            assertEquals(
                    Optional.of("Location, Retry-After, Content-Disposition, X-Request-Id"),
                    reply.header("Access-Control-Expose-Headers"),
                    kind);
            assertEquals(List.of("Origin"), reply.response().headers().allValues("Vary"), kind);
            assertFalse(
                    reply.header("Access-Control-Allow-Methods").isPresent(), kind + ": only preflights list methods");
        });
        assertEquals(201, answers.get("201 with Location").status(), "the request itself went through");
        assertTrue(answers.get("201 with Location").header("Location").isPresent());
    }

    private static HttpRequest.Builder preflight(Api api, String path, String origin) {
        return api.request(path, null)
                .header("Origin", origin)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization, content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody());
    }

    @Test
    void hstsOnlyWhenTheTrustedProxySaysTheRequestCameOverTls() {
        Api api = new Api(url);
        for (String path : List.of("health/live", "api/v1/Nodes", "swagger/")) {
            Api.Reply tls = api.send(
                    api.request(path, null).header("X-Forwarded-Proto", "https").GET());
            assertEquals(Optional.of("max-age=31536000"), tls.header("Strict-Transport-Security"), path);
            Api.Reply plain = api.send(
                    api.request(path, null).header("X-Forwarded-Proto", "http").GET());
            assertFalse(plain.header("Strict-Transport-Security").isPresent(), path + " forwarded as http");
            Api.Reply direct = api.send(api.request(path, null).GET());
            assertFalse(direct.header("Strict-Transport-Security").isPresent(), path + " over plain HTTP");
        }
    }
}
