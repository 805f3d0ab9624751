package org.aipipeline.runner.testing;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonStructure;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A plain HTTP client for the runner's REST API: tests see exactly the bytes a client sees. */
public final class Api {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final URI base;
    private final HttpClient http;

    public Api(URL deploymentUrl) {
        this(deploymentUrl, HTTP);
    }

    private Api(URL deploymentUrl, HttpClient http) {
        String root = deploymentUrl.toString();
        this.base = URI.create(root.endsWith("/") ? root : root + "/");
        this.http = http;
    }

    /** A client that never upgrades to HTTP/2, for requests that must reach the server byte for byte. */
    public static Api http11(URL deploymentUrl) {
        return new Api(
                deploymentUrl,
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10))
                        .build());
    }

    public URI uri(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    public Reply get(String path, String authorization) {
        return send(request(path, authorization).GET());
    }

    public Reply delete(String path, String authorization) {
        return send(request(path, authorization).DELETE());
    }

    public Reply post(String path, String authorization, String json) {
        return send(request(path, authorization)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply put(String path, String authorization, String json) {
        return send(request(path, authorization)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Reply send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpRequest.Builder request(String path, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }

    public record Reply(int status, HttpResponse<String> response) {

        public String body() {
            return response.body();
        }

        public JsonObject json() {
            JsonStructure structure =
                    Json.createReader(new StringReader(body())).read();
            return structure.asJsonObject();
        }

        public Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }

        public String contentType() {
            return header("Content-Type").orElse("");
        }

        @Override
        public String toString() {
            return status + " " + body();
        }
    }
}
