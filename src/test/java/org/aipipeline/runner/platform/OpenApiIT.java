package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.aipipeline.runner.client.ApiClient;
import org.aipipeline.runner.client.ApiException;
import org.aipipeline.runner.client.api.AuthApi;
import org.aipipeline.runner.client.api.FilesApi;
import org.aipipeline.runner.client.api.NodesApi;
import org.aipipeline.runner.client.api.PipelineResultsApi;
import org.aipipeline.runner.client.api.PipelinesApi;
import org.aipipeline.runner.client.api.UsersApi;
import org.aipipeline.runner.client.model.ApElement;
import org.aipipeline.runner.client.model.ApInt;
import org.aipipeline.runner.client.model.ApIntValue;
import org.aipipeline.runner.client.model.ApObject;
import org.aipipeline.runner.client.model.ApString;
import org.aipipeline.runner.client.model.CreateApiKeyRequest;
import org.aipipeline.runner.client.model.FileMetadata;
import org.aipipeline.runner.client.model.FileStorageScope;
import org.aipipeline.runner.client.model.LoginRequest;
import org.aipipeline.runner.client.model.Node;
import org.aipipeline.runner.client.model.NodePage;
import org.aipipeline.runner.client.model.PipelineResult;
import org.aipipeline.runner.client.model.PipelineStepRequest;
import org.aipipeline.runner.client.model.Problem;
import org.aipipeline.runner.client.model.RegisterRequest;
import org.aipipeline.runner.client.model.RunAwaitedPipelineRequest;
import org.aipipeline.runner.client.model.StepResult;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.OpenApiDocument;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.aipipeline.runner.testing.TestNode;
import org.aipipeline.runner.testing.TestNodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document as an integrator meets it: fetched from {@code /openapi} of the deployed
 * WAR, it is valid OpenAPI (no error and no warning from swagger-parser), it is the committed copy
 * the test client is generated from, every operation follows the document's conventions and claims
 * the security the server enforces, and the generated client alone runs a whole flow.
 */
class OpenApiIT extends DeployedRunner {

    OpenApiDocument served;

    @BeforeEach
    void fetch() {
        Api.Reply reply = api.send(api.request("openapi", null)
                .header("Accept", "application/json")
                .GET());
        assertEquals(200, reply.status(), reply.toString());
        served = OpenApiDocument.parse(reply.body());
    }

    @Test
    void servedDocumentIsValidOpenApiWithoutAWarning() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        options.setValidateInternalRefs(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(served.text(), null, options);
        assertNotNull(result.getOpenAPI(), "not parsed: " + result.getMessages());
        assertEquals(List.of(), result.getMessages(), "swagger-parser's errors and warnings");
        // Payara's own top-level "endpoints" was the reason validators rejected the document
        assertEquals(Set.of(), served.nonStandardTopLevelMembers());
    }

    @Test
    void servedDocumentIsTheCommittedCopyTheTestClientIsGeneratedFrom() throws Exception {
        Path committed = Path.of("src/test/resources/openapi/runner-openapi.json");
        Path written = Path.of("target/openapi/served-openapi.json");
        Files.createDirectories(written.getParent());
        Files.writeString(written, served.pretty(), StandardCharsets.UTF_8);
        OpenApiDocument copy = OpenApiDocument.parse(Files.readString(committed, StandardCharsets.UTF_8));
        String difference = OpenApiDocument.firstDifference(copy.json(), served.json(), "");
        if (difference != null) {
            fail("/openapi differs from " + committed + " at " + difference + ". If the change is intended, refresh "
                    + "the copy (the test client is generated from it) with:\n    cp " + written + " " + committed
                    + "\nthen build again so that the client is regenerated.");
        }
    }

    @Test
    void everyOperationDescribesItsBodiesProblemsAndSharedStatuses() {
        assertEquals(List.of(), served.conventionViolations());
    }

    @Test
    void everyResourceMethodIsInTheDocument() throws Exception {
        assertEquals(OpenApiDocument.resourceOperations(Path.of("target/classes")), served.operations());
    }

    /**
     * The WAR serves only its own resources. EclipseLink's all-in-one jar, once packaged, brought
     * JPA-RS along, and Jersey served it: create, read, update and delete over every entity under
     * /api/v1/{version}/{unit}, to any signed-in user.
     */
    @Test
    void noLibrarysResourcesAreServed() {
        Session me = Session.register(api);
        for (String path : List.of(
                "api/v1/latest",
                "api/v1/latest/runner/metadata",
                "api/v1/v1.0/runner/entity/User/" + me.userId(),
                "api/v1/latest/runner/query/User.findAll")) {
            Api.Reply reply = api.get(path, me.bearer());
            assertEquals(404, reply.status(), path + " answered " + reply.body());
        }
    }

    @Test
    void securityRequirementsAreWhatTheServerEnforces() {
        Session me = Session.register(api);
        String apiKey = api.post("api/v1/Auth/ApiKey", me.bearer(), "{\"name\":\"openapi-it\"}")
                .json()
                .getJsonObject("apiKey")
                .getString("key");
        List<String> wrong = new ArrayList<>();
        for (String operation : served.operations()) {
            Set<String> schemes = served.securitySchemesOf(operation);
            int anonymous = served.probe(api, operation, null).status();
            if (schemes.isEmpty() != (anonymous != 401)) {
                wrong.add(operation + " documents " + schemes + " but answers " + anonymous + " without credentials");
            }
            if (schemes.isEmpty()) {
                continue;
            }
            int withKey = served.probe(api, operation, apiKey).status();
            if (schemes.contains("apiKey") ? withKey == 401 : withKey != 403) {
                wrong.add(operation + " documents " + schemes + " but answers " + withKey + " to an API key");
            }
            int withToken = served.probe(api, operation, me.bearer()).status();
            if (schemes.contains("bearer") == (withToken == 401)) {
                wrong.add(operation + " documents " + schemes + " but answers " + withToken + " to an access token");
            }
            if (withToken == 400) {
                wrong.add(operation + " answers 400 to its documented example");
            }
        }
        assertEquals(List.of(), wrong);
    }

    /** Member names, types, enums and ApElement's discriminator, as strictly as the smoke flow's client reads them. */
    @Test
    void everyExampleReadsAsItsSchemaInTheGeneratedClient() throws Exception {
        ObjectMapper strict = client(null).getObjectMapper();
        List<String> read = new ArrayList<>();
        JsonObject schemas = served.json().getJsonObject("components").getJsonObject("schemas");
        for (Map.Entry<String, JsonValue> schema : schemas.entrySet()) {
            JsonValue example = schema.getValue().asJsonObject().get("example");
            Class<?> model = generatedModel(schema.getKey());
            if (example != null && model != null) {
                strict.readValue(example.toString(), model);
                read.add(schema.getKey());
            }
        }
        assertTrue(
                read.containsAll(List.of(
                        "RunPipelineRequest",
                        "RunAwaitedPipelineRequest",
                        "RunPipelineBatchRequest",
                        "PipelineResultResponse",
                        "NodePage",
                        "ApiKeyResponse",
                        "ApObject")),
                read.toString());
    }

    private static Class<?> generatedModel(String schema) {
        try {
            return Class.forName(ApiClient.class.getPackageName() + ".model." + schema);
        } catch (ClassNotFoundException none) {
            return null; // a multipart form, which the generator spreads over the upload's parameters
        }
    }

    /** Register, log in, create an API key, upload, list nodes, run an awaited two-step pipeline, read it, delete the user. */
    @Test
    void generatedClientRunsTheWholeFlow() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        try (TestNode words = TestNodes.wordProcessor("oas-words-" + suffix).start();
                TestNode describer =
                        TestNodes.describer("oas-describer-" + suffix).start()) {
            try {
                runFlow(words.id(), describer.id());
            } finally {
                words.deleteQueue();
                describer.deleteQueue();
            }
        }
    }

    private void runFlow(String wordsNode, String describerNode) throws Exception {
        ApiClient anonymous = client(null);
        String username = "oas-" + UUID.randomUUID().toString().substring(0, 12);
        String password = "correct horse " + UUID.randomUUID();
        UUID userId = new AuthApi(anonymous)
                .register(new RegisterRequest().username(username).password(password))
                .getUser()
                .getId();
        String accessToken = new AuthApi(anonymous)
                .login(new LoginRequest().username(username).password(password))
                .getLoggedInUser()
                .getAccessRefreshTokenPair()
                .getAccessToken();
        ApiClient user = client("Bearer " + accessToken);
        String key = new AuthApi(user)
                .createApiKey(new CreateApiKeyRequest()
                        .name("smoke")
                        .validUntil(OffsetDateTime.now(ZoneOffset.UTC).plusDays(1)))
                .getApiKey()
                .getKey();
        ApiClient service = client(key);

        byte[] content = "name,score\nada,3\n".getBytes(StandardCharsets.UTF_8);
        Path upload = Files.createTempFile("scores", ".csv");
        Files.write(upload, content);
        FileMetadata file = new FilesApi(service)
                .uploadFile(upload.toFile(), null, FileStorageScope.SHORT_TERM)
                .getFile();
        assertEquals(userId, file.getUserId());
        assertEquals(FileStorageScope.SHORT_TERM, file.getFileStorageScope());
        assertEquals(content.length, file.getSizeBytes());
        File downloaded = new FilesApi(service).downloadFile(file.getId());
        assertArrayEquals(content, Files.readAllBytes(downloaded.toPath()));

        NodesApi nodes = new NodesApi(service);
        Poll.until(
                Duration.ofSeconds(30),
                () -> availableNodes(nodes),
                ids -> ids.containsAll(Set.of(wordsNode, describerNode)),
                "both test nodes listed by GET /Nodes");

        ApObject input = new ApObject()
                .putPropertiesItem("inputString", new ApElement(new ApString().value("ab")))
                .putPropertiesItem("repetitionCount", new ApElement(new ApInt().value(new ApIntValue(3))));
        PipelineResult result = new PipelinesApi(service)
                .runPipelineAwaited(
                        new RunAwaitedPipelineRequest()
                                .input(new ApElement(input))
                                .addStepsItem(new PipelineStepRequest()
                                        .nodeId(wordsNode)
                                        .procedureId("repeat-string"))
                                .addStepsItem(new PipelineStepRequest()
                                        .nodeId(describerNode)
                                        .procedureId("describe"))
                                .timeoutSeconds(60),
                        "openapi-smoke-" + UUID.randomUUID())
                .getResult();
        assertEquals(PipelineResult.StatusEnum.SUCCEEDED, result.getStatus(), result.toString());
        List<StepResult> steps = result.getStepResults();
        assertEquals("ababab", steps.get(0).getResult().getApString().getValue());
        ApObject description = steps.get(1).getResult().getApObject();
        assertEquals(
                "ababab", description.getProperties().get("text").getApString().getValue());
        assertEquals(
                6,
                description.getProperties().get("length").getApInt().getValue().getInteger());

        PipelineResultsApi results = new PipelineResultsApi(service);
        PipelineResult read = results.getPipelineResult(result.getPipelineId()).getResult();
        assertEquals(result.getFinishedAt(), read.getFinishedAt());
        assertEquals(steps.size(), read.getStepResults().size());
        assertEquals(
                result.getPipelineId(),
                results.listPipelineResults(1, 20, null, "Succeeded")
                        .getItems()
                        .get(0)
                        .getPipelineId());

        new UsersApi(user).deleteUser(userId);
        ApiException gone = assertThrows(ApiException.class, () -> new UsersApi(user).getUser(userId));
        assertEquals(401, gone.getCode(), "the access token died with its user");
        Problem problem = anonymous.getObjectMapper().readValue(gone.getResponseBody(), Problem.class);
        assertEquals(401, problem.getStatus());
        assertTrue(problem.getDetail() != null && !problem.getDetail().isBlank(), problem.toString());
    }

    /** A client of the deployed runner that fails on any member the document does not describe. */
    private ApiClient client(String authorization) {
        ApiClient client = new ApiClient();
        client.updateBaseUri(url.toString().replaceAll("/+$", ""));
        client.setReadTimeout(Duration.ofSeconds(90));
        client.getObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        if (authorization != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", authorization));
        }
        return client;
    }

    private static Set<String> availableNodes(NodesApi nodes) {
        Set<String> ids = new TreeSet<>();
        try {
            NodePage page = nodes.listNodes(1, 100);
            for (int number = 2; ; number++) {
                page.getItems().stream().filter(Node::getAvailable).forEach(node -> ids.add(node.getId()));
                if (!page.getPagination().getHasNextPage()) {
                    return ids;
                }
                page = nodes.listNodes(number, 100);
            }
        } catch (ApiException e) {
            throw new AssertionError("GET /Nodes failed: " + e.getCode() + " " + e.getResponseBody(), e);
        }
    }
}
