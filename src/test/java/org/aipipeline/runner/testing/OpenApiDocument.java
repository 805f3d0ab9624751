package org.aipipeline.runner.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;
import org.aipipeline.runner.RunnerApplication;

/**
 * The runner's OpenAPI document as JSON, with the checks its conventions call for (README,
 * "OpenAPI and generated clients"). Operations are named {@code "POST /api/v1/Auth/Register"}.
 */
public final class OpenApiDocument {

    private static final String PROBLEM = "#/components/schemas/Problem";
    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> OPENAPI_MEMBERS =
            Set.of("openapi", "info", "servers", "paths", "components", "security", "tags", "externalDocs");

    private final String text;
    private final JsonObject json;

    private OpenApiDocument(String text, JsonObject json) {
        this.text = text;
        this.json = json;
    }

    public static OpenApiDocument parse(String text) {
        return new OpenApiDocument(
                text, Json.createReader(new StringReader(text)).readObject());
    }

    public String text() {
        return text;
    }

    public JsonObject json() {
        return json;
    }

    /** The form of the committed copy: indented, members in the order the runner serves them. */
    public String pretty() {
        StringWriter out = new StringWriter();
        Json.createWriterFactory(Map.of(JsonGenerator.PRETTY_PRINTING, true))
                .createWriter(out)
                .write(json);
        return out.toString().strip() + "\n";
    }

    public Set<String> nonStandardTopLevelMembers() {
        Set<String> names = new TreeSet<>(json.keySet());
        names.removeIf(name -> OPENAPI_MEMBERS.contains(name) || name.startsWith("x-"));
        return names;
    }

    /** The JSON pointer of the first place where the two differ (member order aside), or null. */
    public static String firstDifference(JsonValue expected, JsonValue actual, String pointer) {
        if (expected.getValueType() != actual.getValueType()) {
            return pointer.isEmpty() ? "/" : pointer;
        }
        if (expected instanceof JsonObject left && actual instanceof JsonObject right) {
            Set<String> names = new TreeSet<>(left.keySet());
            names.addAll(right.keySet());
            for (String name : names) {
                String at = pointer + "/" + name.replace("~", "~0").replace("/", "~1");
                if (!left.containsKey(name) || !right.containsKey(name)) {
                    return at + (left.containsKey(name) ? " (missing from /openapi)" : " (not in the copy)");
                }
                String inside = firstDifference(left.get(name), right.get(name), at);
                if (inside != null) {
                    return inside;
                }
            }
            return null;
        }
        if (expected instanceof JsonArray left && actual instanceof JsonArray right) {
            for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
                String inside = firstDifference(left.get(i), right.get(i), pointer + "/" + i);
                if (inside != null) {
                    return inside;
                }
            }
            return left.size() == right.size()
                    ? null
                    : pointer + " (" + left.size() + " vs " + right.size() + " items)";
        }
        return expected.equals(actual) ? null : pointer;
    }

    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        json.getJsonObject("paths")
                .forEach((path, item) -> item.asJsonObject().keySet().stream()
                        .filter(HTTP_METHODS::contains)
                        .forEach(method -> operations.add(method.toUpperCase() + " " + path)));
        return operations;
    }

    public JsonObject operation(String operation) {
        String[] methodAndPath = operation.split(" ", 2);
        return json.getJsonObject("paths")
                .getJsonObject(methodAndPath[1])
                .getJsonObject(methodAndPath[0].toLowerCase());
    }

    /** The schemes any of which the operation accepts; empty if it needs none ({@code security: [{}]}). */
    public Set<String> securitySchemesOf(String operation) {
        JsonArray requirements = operation(operation).containsKey("security")
                ? operation(operation).getJsonArray("security")
                : json.getJsonArray("security");
        Set<String> schemes = new TreeSet<>();
        for (JsonValue requirement : requirements) {
            if (requirement.asJsonObject().isEmpty()) {
                return Set.of();
            }
            schemes.addAll(requirement.asJsonObject().keySet());
        }
        return schemes;
    }

    /**
     * What breaks the conventions: a missing or repeated operationId; no success status, or no 401
     * and 503; an error status that is not application/problem+json with Problem; a request or
     * success body without a schema or an example (bytes aside); a request body not required.
     */
    public List<String> conventionViolations() {
        List<String> violations = new ArrayList<>();
        Set<String> operationIds = new TreeSet<>();
        for (String name : operations()) {
            JsonObject operation = operation(name);
            if (!operationIds.add(operation.getString("operationId", name))) {
                violations.add(name + ": no or a repeated operationId");
            }
            JsonObject responses = operation.getJsonObject("responses");
            if (responses.keySet().stream().noneMatch(status -> status.startsWith("2"))) {
                violations.add(name + ": no success status");
            }
            Stream.of("401", "503")
                    .filter(status -> !responses.containsKey(status))
                    .forEach(status -> violations.add(name + ": no " + status));
            responses.forEach((status, value) -> {
                JsonObject response = resolve(value.asJsonObject());
                JsonObject content = response.getJsonObject("content");
                if (status.startsWith("4") || status.startsWith("5")) {
                    if (content == null
                            || !content.keySet().equals(Set.of("application/problem+json"))
                            || !PROBLEM.equals(schemaRef(content.getJsonObject("application/problem+json")))) {
                        violations.add(name + " " + status + ": not application/problem+json with " + PROBLEM);
                    }
                } else if (content != null) {
                    content.forEach((type, media) -> violations.addAll(
                            schemaAndExample(name + " " + status + " " + type, media.asJsonObject())));
                }
            });
            if (operation.containsKey("requestBody")) {
                JsonObject body = resolve(operation.getJsonObject("requestBody"));
                if (!body.getBoolean("required", false)) {
                    violations.add(name + ": request body not required");
                }
                body.getJsonObject("content")
                        .forEach((type, media) ->
                                violations.addAll(schemaAndExample(name + " request " + type, media.asJsonObject())));
            }
        }
        return violations;
    }

    private List<String> schemaAndExample(String where, JsonObject media) {
        JsonObject schema = media.getJsonObject("schema");
        if (schema == null) {
            return List.of(where + ": no schema");
        }
        boolean bytes = "binary".equals(schema.getString("format", null));
        boolean example = media.containsKey("example")
                || media.containsKey("examples")
                || schema.containsKey("example")
                || (schema.containsKey("$ref") && resolve(schema).containsKey("example"));
        return bytes || example ? List.of() : List.of(where + ": no example");
    }

    private static String schemaRef(JsonObject media) {
        JsonObject schema = media.getJsonObject("schema");
        return schema == null ? null : schema.getString("$ref", null);
    }

    /** Follows a local {@code $ref} ({@code #/components/...}). */
    private JsonObject resolve(JsonObject value) {
        if (!value.containsKey("$ref")) {
            return value;
        }
        JsonValue target = json;
        for (String step : value.getString("$ref").substring(2).split("/")) {
            target = target.asJsonObject().get(step.replace("~1", "/").replace("~0", "~"));
        }
        return target.asJsonObject();
    }

    /**
     * Sends the operation with made-up path values (random UUIDs, an unknown key name) to see how the
     * server treats the credentials. With credentials the body is the documented example, so that
     * validation passes and authorization decides; without, it is {@code {}}, so that public routes
     * change nothing. A multipart body is a form without its file.
     */
    public Api.Reply probe(Api api, String operation, String authorization) {
        String[] methodAndPath = operation.split(" ", 2);
        String path = methodAndPath[1]
                .replace("{name}", "no-such-key")
                .replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
        HttpRequest.Builder request = api.request(path, authorization);
        JsonObject body = operation(operation).getJsonObject("requestBody");
        if (body == null) {
            return api.send(request.method(methodAndPath[0], HttpRequest.BodyPublishers.noBody()));
        }
        JsonObject content = resolve(body).getJsonObject("content");
        if (content.containsKey("multipart/form-data")) {
            Multipart form = new Multipart().field("storageScope", "LongTerm");
            return api.send(
                    request.header("Content-Type", form.contentType()).method(methodAndPath[0], form.publisher()));
        }
        String json = authorization == null
                ? "{}"
                : resolve(content.getJsonObject("application/json").getJsonObject("schema"))
                        .get("example")
                        .toString();
        return api.send(request.header("Content-Type", "application/json")
                .method(methodAndPath[0], HttpRequest.BodyPublishers.ofString(json)));
    }

    /** Every JAX-RS resource method among the compiled classes, named like {@link #operations()}. */
    public static Set<String> resourceOperations(java.nio.file.Path classes) throws IOException {
        String base = "/"
                + RunnerApplication.class.getAnnotation(ApplicationPath.class).value();
        Set<String> operations = new TreeSet<>();
        try (Stream<java.nio.file.Path> files = java.nio.file.Files.walk(classes)) {
            for (java.nio.file.Path file :
                    files.filter(f -> f.toString().endsWith("Resource.class")).toList()) {
                String name = classes.relativize(file)
                        .toString()
                        .replace(".class", "")
                        .replace('/', '.');
                Class<?> type;
                try {
                    type = Class.forName(name, false, OpenApiDocument.class.getClassLoader());
                } catch (ClassNotFoundException e) {
                    throw new IllegalStateException(e);
                }
                Path root = type.getAnnotation(Path.class);
                if (root == null) {
                    continue;
                }
                for (Method method : type.getDeclaredMethods()) {
                    for (Annotation annotation : method.getAnnotations()) {
                        HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
                        if (http != null) {
                            Path sub = method.getAnnotation(Path.class);
                            operations.add(http.value() + " "
                                    + (base + "/" + root.value() + (sub == null ? "" : "/" + sub.value()))
                                            .replaceAll("/+", "/"));
                        }
                    }
                }
            }
        }
        return operations;
    }
}
