package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.RunnerJar;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runner jar as shipped, with no HTTP setting, reached over Payara Micro's own TLS listener
 * ({@code --sslport}, its self-signed certificate): HSTS comes from the request really being TLS,
 * an {@code X-Forwarded-Proto} header is not believed, and CORS is off; and a CORS setting that
 * is not a list of origins stops the jar instead of letting it serve without its headers. Each
 * runner uses an H2 database of its own and a broker address that cannot connect, so it touches
 * nothing shared (HTTP works without a broker).
 */
class HttpDefaultsIT {

    private static RunnerJar runner;
    private static int httpPort;
    private static int tlsPort;

    @BeforeAll
    static void start() throws Exception {
        runner = launch(Map.of());
        httpPort = runner.httpPort();
        tlsPort = runner.httpsPort();
        Poll.until(
                Duration.ofSeconds(180),
                HttpDefaultsIT::liveOrExited,
                status -> status != 0,
                "the runner to answer /health/live on port " + httpPort);
        assertTrue(runner.process().isAlive(), "the runner exited:\n" + runner.logTail());
    }

    /**
     * The jar over HTTP and HTTPS with the settings given on top of the defaults (RunnerJar drops
     * failsafe's CORS and trusted-proxy settings, which the other ITs use).
     */
    private static RunnerJar launch(Map<String, String> settings) throws IOException {
        Map<String, String> environment = new HashMap<>(settings);
        environment.put("FILES_SERVICE_PORT", "0");
        environment.put("RABBITMQ_URL", "amqp://guest:guest@127.0.0.1:5672/http-defaults-it-no-such-vhost");
        return RunnerJar.start(RunnerJar.freePort(), true, environment);
    }

    @Test
    void anAllowedOriginThatIsNotAnOriginStopsTheRunnerSayingWhich() throws Exception {
        try (RunnerJar bad = launch(Map.of("HTTP_CORS_ALLOWED_ORIGINS", "https://dashboard.example.test, *"))) {
            assertTrue(
                    bad.process().waitFor(180, java.util.concurrent.TimeUnit.SECONDS),
                    "still running:\n" + bad.logTail());
            assertEquals(1, bad.process().exitValue(), bad.logTail());
            assertTrue(
                    bad.log()
                            .contains("Orchestration Runner cannot start: http.cors.allowed-origins: '*' "
                                    + "is not an origin"),
                    bad.logTail());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (runner != null) {
            runner.close();
        }
    }

    /** 1 when the runner is up, -1 when it exited, 0 while neither. */
    private static int liveOrExited() {
        if (!runner.process().isAlive()) {
            return -1;
        }
        try {
            return get("http", "/health/live", Map.of()).status() == 200 ? 1 : 0;
        } catch (IOException notYet) {
            return 0;
        }
    }

    @Test
    void aRequestThatCameOverTlsGetsHstsWithTheDefaultMaxAge() throws Exception {
        for (String path : List.of("/health/live", "/api/v1/Nodes", "/swagger/", "/no/such/page")) {
            Reply reply = get("https", path, Map.of());
            assertEquals("max-age=31536000", reply.header("Strict-Transport-Security"), path + " " + reply.status());
            assertEquals("nosniff", reply.header("X-Content-Type-Options"), path);
        }
    }

    @Test
    void anUntrustedForwardedProtoHeaderIsIgnored() throws Exception {
        Reply reply = get("http", "/health/live", Map.of("X-Forwarded-Proto", "https"));
        assertEquals(200, reply.status());
        assertNull(reply.header("Strict-Transport-Security"), "any client can send X-Forwarded-Proto");
        assertEquals("DENY", reply.header("X-Frame-Options"));
    }

    @Test
    void corsIsOffByDefault() throws Exception {
        Map<String, String> preflight =
                Map.of("Origin", BrowserHeadersIT.LISTED, "Access-Control-Request-Method", "POST");
        Reply answer = get("http", "/api/v1/Nodes", preflight);
        assertTrue(answer.cors().isEmpty(), "a GET from another origin: " + answer.cors());
        assertNull(answer.header("Vary"), "nothing varies by origin when CORS is off");
        Reply options = request("http", "OPTIONS", "/api/v1/Auth/Login", preflight);
        assertTrue(options.cors().isEmpty(), "a preflight gets no permission: " + options.cors());
        assertTrue(options.status() >= 400, "and no 204: " + options.status());
    }

    private record Reply(int status, Map<String, List<String>> headers) {

        String header(String name) {
            return headers.entrySet().stream()
                    .filter(e -> name.equalsIgnoreCase(e.getKey()))
                    .map(e -> e.getValue().get(0))
                    .findFirst()
                    .orElse(null);
        }

        Map<String, List<String>> cors() {
            return headers.entrySet().stream()
                    .filter(e -> e.getKey() != null && e.getKey().toLowerCase().startsWith("access-control-"))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }

    private static Reply get(String scheme, String path, Map<String, String> headers) throws IOException {
        return request(scheme, "GET", path, headers);
    }

    /**
     * Through the JDK's HttpClient, which (unlike HttpURLConnection) sends Origin and the
     * Access-Control-Request-* headers. Over TLS to "localhost", the name in the certificate.
     */
    private static Reply request(String scheme, String method, String path, Map<String, String> headers)
            throws IOException {
        URI uri = URI.create(
                scheme.equals("https") ? "https://localhost:" + tlsPort + path : "http://127.0.0.1:" + httpPort + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Reply(response.statusCode(), response.headers().map());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /** Trusts Payara Micro's built-in self-signed certificate, for this test only. */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(trustAny())
            .build();

    private static SSLContext trustAny() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
