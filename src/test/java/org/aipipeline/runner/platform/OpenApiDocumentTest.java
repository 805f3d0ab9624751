package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonPatchBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.aipipeline.runner.testing.OpenApiDocument;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks OpenApiIT runs on the served document, here on the committed copy (which OpenApiIT
 * keeps equal to it) and on copies broken on purpose, so that each check is seen to fail.
 */
class OpenApiDocumentTest {

    private static final String USER = "/paths/~1api~1v1~1Users~1{id}";
    private static final String REGISTER = "/paths/~1api~1v1~1Auth~1Register/post";
    private static final OpenApiDocument COPY = read();

    private static OpenApiDocument read() {
        try {
            return OpenApiDocument.parse(Files.readString(
                    Path.of("src/test/resources/openapi/runner-openapi.json"), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theCommittedCopyFollowsTheConventions() {
        assertEquals(List.of(), COPY.conventionViolations());
        assertEquals(Set.of(), COPY.nonStandardTopLevelMembers());
    }

    @Test
    void theCommittedCopyListsEveryResourceMethod() throws IOException {
        assertEquals(OpenApiDocument.resourceOperations(Path.of("target/classes")), COPY.operations());
    }

    @Test
    void securityIsReadPerOperationWithThePublicRoutesNeedingNone() {
        assertEquals(Set.of(), COPY.securitySchemesOf("POST /api/v1/Auth/Register"));
        assertEquals(Set.of("bearer"), COPY.securitySchemesOf("POST /api/v1/Auth/ApiKey"));
        assertEquals(Set.of("apiKey", "bearer"), COPY.securitySchemesOf("GET /api/v1/Nodes"));
    }

    static Stream<Arguments> brokenCopies() {
        return Stream.of(
                Arguments.of(
                        "an example removed",
                        patch(p -> p.remove("/components/schemas/UserResponse/example")),
                        "GET /api/v1/Users/{id} 200 application/json: no example"),
                Arguments.of(
                        "a problem as plain JSON",
                        patch(p -> p.move(
                                USER + "/get/responses/404/content/application~1json",
                                USER + "/get/responses/404/content/application~1problem+json")),
                        "GET /api/v1/Users/{id} 404: not application/problem+json with #/components/schemas/Problem"),
                Arguments.of(
                        "an operationId twice",
                        patch(p -> p.replace(USER + "/put/operationId", "getUser")),
                        "PUT /api/v1/Users/{id}: no or a repeated operationId"),
                Arguments.of(
                        "no 503",
                        patch(p -> p.remove("/paths/~1api~1v1~1Nodes/get/responses/503")),
                        "GET /api/v1/Nodes: no 503"),
                Arguments.of(
                        "an optional body",
                        patch(p -> p.replace(REGISTER + "/requestBody/required", false)),
                        "POST /api/v1/Auth/Register: request body not required"),
                Arguments.of(
                        "a body without schema",
                        patch(p -> p.remove(REGISTER + "/requestBody/content/application~1json/schema")),
                        "POST /api/v1/Auth/Register request application/json: no schema"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenCopies")
    void aBrokenCopyIsCaught(String what, UnaryOperator<JsonObject> breakIt, String violation) {
        OpenApiDocument broken =
                OpenApiDocument.parse(breakIt.apply(COPY.json()).toString());
        assertTrue(
                broken.conventionViolations().contains(violation),
                broken.conventionViolations().toString());
        assertTrue(OpenApiDocument.firstDifference(COPY.json(), broken.json(), "") != null, what);
    }

    @Test
    void theFirstDifferenceIsNamedByItsPointer() {
        JsonObject changed = patch(p -> p.replace("/components/schemas/ApInt/properties/type/default", "ApLong"))
                .apply(COPY.json());
        assertEquals(
                "/components/schemas/ApInt/properties/type/default",
                OpenApiDocument.firstDifference(COPY.json(), changed, ""));
        JsonObject extended = Json.createObjectBuilder(COPY.json())
                .add("endpoints", Json.createObjectBuilder())
                .build();
        assertEquals("/endpoints (not in the copy)", OpenApiDocument.firstDifference(COPY.json(), extended, ""));
        assertEquals(
                Set.of("endpoints"), OpenApiDocument.parse(extended.toString()).nonStandardTopLevelMembers());
        assertNull(OpenApiDocument.firstDifference(
                COPY.json(), OpenApiDocument.parse(COPY.pretty()).json(), ""));
    }

    private static UnaryOperator<JsonObject> patch(UnaryOperator<JsonPatchBuilder> operations) {
        return json -> operations.apply(Json.createPatchBuilder()).build().apply(json);
    }
}
