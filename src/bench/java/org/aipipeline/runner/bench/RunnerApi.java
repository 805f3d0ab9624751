package org.aipipeline.runner.bench;

import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The runner's REST API as the driver uses it: a fresh user, and requests built once per
 * scenario (an {@link HttpRequest} with a byte-array body can be sent any number of times).
 */
final class RunnerApi {

    private static final JsonProvider JSON = JsonProvider.provider();
    private static final String INPUT = "{\"type\":\"ApString\",\"value\":\"hello\"}";

    private final String base;
    private final HttpClient http;
    private String bearer;
    private UUID userId;

    RunnerApi(String runnerUrl, HttpClient http) {
        this.base = runnerUrl + "/api/v1/";
        this.http = http;
    }

    /** Registers and logs in a user of its own, so that its results are only the bench's. */
    void login() throws IOException, InterruptedException {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String credentials = "{\"username\":\"" + name + "\",\"password\":\"bench-password-1\"}";
        send(post("Auth/Register", credentials, false));
        JsonObject user =
                json(send(post("Auth/Login", credentials, false)).body()).getJsonObject("loggedInUser");
        bearer = "Bearer " + user.getJsonObject("accessRefreshTokenPair").getString("accessToken");
        userId = UUID.fromString(user.getString("id"));
    }

    UUID userId() {
        return userId;
    }

    /** The same user's API on another runner instance (instances sharing the signing keys accept its token). */
    RunnerApi at(String runnerUrl) {
        RunnerApi other = new RunnerApi(runnerUrl, http);
        other.bearer = bearer;
        other.userId = userId;
        return other;
    }

    /** One {@code POST /Pipelines} per starting node, so that the load spreads over every node. */
    List<HttpRequest> pipelines(List<String> nodeIds, int steps) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int offset = 0; offset < nodeIds.size(); offset++) {
            requests.add(post(
                    "Pipelines", "{\"input\":" + INPUT + ",\"steps\":" + steps(nodeIds, offset, steps) + "}", true));
        }
        return requests;
    }

    List<HttpRequest> awaited(List<String> nodeIds, int timeoutSeconds) {
        List<HttpRequest> requests = new ArrayList<>();
        for (int offset = 0; offset < nodeIds.size(); offset++) {
            requests.add(post(
                    "Pipelines/Awaited",
                    "{\"timeoutSeconds\":" + timeoutSeconds + ",\"input\":" + INPUT + ",\"steps\":"
                            + steps(nodeIds, offset, 1) + "}",
                    true));
        }
        return requests;
    }

    HttpRequest batch(String nodeId, int inputs) {
        StringBuilder body = new StringBuilder("{\"inputs\":[");
        for (int i = 0; i < inputs; i++) {
            body.append(i == 0 ? "" : ",")
                    .append("{\"type\":\"ApString\",\"value\":\"item ")
                    .append(i)
                    .append("\"}");
        }
        body.append("],\"steps\":").append(steps(List.of(nodeId), 0, 1)).append('}');
        return post("Pipelines/Batch", body.toString(), true);
    }

    /** {@code request}'s path and query on this instance (requests are built once, on one instance's API). */
    URI retarget(HttpRequest request) {
        URI uri = request.uri();
        return URI.create(base).resolve(uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
    }

    HttpRequest get(String path) {
        return HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", bearer)
                .GET()
                .build();
    }

    /** {@code GET /PipelineResults/{id}/Events}: the run's live event stream. */
    HttpRequest events(String pipelineId) {
        return HttpRequest.newBuilder(URI.create(base + "PipelineResults/" + pipelineId + "/Events"))
                .header("Authorization", bearer)
                .header("Accept", "text/event-stream")
                .GET()
                .build();
    }

    HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    static JsonObject json(String body) {
        return JSON.createReader(new StringReader(body)).readObject();
    }

    private static String steps(List<String> nodeIds, int offset, int steps) {
        StringBuilder list = new StringBuilder("[");
        for (int s = 0; s < steps; s++) {
            list.append(s == 0 ? "" : ",")
                    .append("{\"nodeId\":\"")
                    .append(nodeIds.get((offset + s) % nodeIds.size()))
                    .append("\",\"procedureId\":\"")
                    .append(NoOpNode.PROCEDURE)
                    .append("\"}");
        }
        return list.append(']').toString();
    }

    HttpRequest post(String path, String json, boolean authorized) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.getBytes(StandardCharsets.UTF_8)));
        if (authorized) {
            builder.header("Authorization", bearer);
        }
        return builder.build();
    }
}
