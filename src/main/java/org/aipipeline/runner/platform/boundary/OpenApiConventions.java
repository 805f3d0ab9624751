package org.aipipeline.runner.platform.boundary;

import java.lang.System.Logger.Level;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.aipipeline.runner.platform.entity.Problem;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.parameters.RequestBody;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Finishes the OpenAPI document with what holds for every route, so that the resources state only
 * what is particular to each operation. Registered as {@code mp.openapi.filter}: it runs once, when
 * MicroProfile OpenAPI builds the document, never per request.
 * <ul>
 * <li>Every request body is required: a missing one is a 400. A JSON body's schema is the one in
 * {@code META-INF/openapi.yaml} named like the Java record the resource reads
 * ({@code RegisterRequest}), which MicroProfile OpenAPI picks up from the method's signature.</li>
 * <li>Every error response (status 400 and above) is {@code application/problem+json} with the one
 * {@code Problem} schema ({@code META-INF/openapi.yaml}), as {@link ProblemResponses} writes it.</li>
 * <li>The statuses every route shares are listed where an operation does not describe them itself:
 * 401 ({@code Authentication}; on public routes only for a bad bearer token), 503 with
 * {@code Retry-After} (database, broker or File Service down), and on JSON bodies the 400, 413 and
 * 415 of {@link JsonBodyLimits} and the JSON reader.</li>
 * <li>Payara adds a top-level {@code endpoints} member that OpenAPI does not define (it repeats the
 * paths per context root); validators reject the document for it, so it is emptied, which Payara
 * then leaves out.</li>
 * <li>Payara also adds a schema for each Java type it scans (such as {@code Page} for
 * {@code Page<FileView>}) even where the annotations name the body's schema; schemas that nothing
 * refers to are dropped, so generated clients get no unused classes.</li>
 * </ul>
 */
public class OpenApiConventions implements OASFilter {

    private static final System.Logger LOG = System.getLogger(OpenApiConventions.class.getName());
    private static final String JSON = "application/json";

    @Override
    public void filterOpenAPI(OpenAPI document) {
        List<SecurityRequirement> defaultSecurity = document.getSecurity();
        if (document.getPaths() != null && document.getPaths().getPathItems() != null) {
            for (PathItem path : document.getPaths().getPathItems().values()) {
                for (Operation operation : path.getOperations().values()) {
                    Optional.ofNullable(operation.getRequestBody()).ifPresent(body -> body.setRequired(true));
                    addSharedStatuses(operation, isPublic(operation, defaultSecurity));
                    operation.getResponses().getAPIResponses().forEach(OpenApiConventions::describeProblem);
                }
            }
        }
        removeUnusedSchemas(document);
        removePayaraEndpoints(document);
        removeRepeatedTags(document);
    }

    /**
     * Several resource classes share a tag (the runs' results, their diagnosis, their events): the
     * scanner lists it once per class, and a tag repeated is an invalid document. The first stays.
     */
    private static void removeRepeatedTags(OpenAPI document) {
        if (document.getTags() == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        document.setTags(document.getTags().stream()
                .filter(tag -> seen.add(tag.getName()))
                .toList());
    }

    /** A public route says so with an empty {@code @SecurityRequirementsSet}: {@code security: [{}]}. */
    private static boolean isPublic(Operation operation, List<SecurityRequirement> defaultSecurity) {
        List<SecurityRequirement> security =
                operation.getSecurity() == null || operation.getSecurity().isEmpty()
                        ? defaultSecurity
                        : operation.getSecurity();
        return security == null
                || security.stream()
                        .anyMatch(requirement -> requirement.getSchemes() == null
                                || requirement.getSchemes().isEmpty());
    }

    private static void addSharedStatuses(Operation operation, boolean isPublic) {
        APIResponses responses = operation.getResponses();
        addIfAbsent(
                responses,
                "401",
                isPublic
                        ? "A malformed or expired bearer token was sent (this route needs none: leave Authorization out)"
                        : "Missing, invalid or expired credentials",
                "WWW-Authenticate",
                "WWWAuthenticate");
        if (consumesJson(operation.getRequestBody())) {
            addIfAbsent(
                    responses,
                    "400",
                    "The body is not JSON of the expected shape, not UTF-8, nested more than "
                            + JsonBodyLimits.MAX_DEPTH + " levels, has a key twice in one object or a NUL character",
                    null,
                    null);
            addIfAbsent(responses, "413", "The body is larger than api.json.max-size (8 MiB by default)", null, null);
            addIfAbsent(responses, "415", "Content-Type is not application/json, or its charset not UTF-8", null, null);
        }
        addIfAbsent(
                responses,
                "503",
                "A service the runner needs (database, broker or File Service) is unavailable; "
                        + "nothing was changed: retry after Retry-After seconds",
                "Retry-After",
                "RetryAfter");
    }

    private static boolean consumesJson(RequestBody body) {
        return body != null && body.getContent() != null && body.getContent().hasMediaType(JSON);
    }

    /** {@code headerRef} names the header's description among the document's components. */
    private static void addIfAbsent(
            APIResponses responses, String status, String description, String header, String headerRef) {
        if (responses.hasAPIResponse(status)) {
            return;
        }
        APIResponse response = OASFactory.createAPIResponse().description(description);
        if (header != null) {
            response.addHeader(header, OASFactory.createHeader().ref(headerRef));
        }
        responses.addAPIResponse(status, response);
    }

    private static void describeProblem(String status, APIResponse response) {
        if (!status.matches("[45][0-9][0-9]")
                || response.getRef() != null
                || (response.getContent() != null
                        && !response.getContent().getMediaTypes().isEmpty())) {
            return;
        }
        Content problem = OASFactory.createContent()
                .addMediaType(
                        Problem.MEDIA_TYPE,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("Problem")));
        response.setContent(problem);
    }

    private static void removeUnusedSchemas(OpenAPI document) {
        Map<String, Schema> schemas = document.getComponents() == null
                ? null
                : document.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        Set<String> used = new HashSet<>();
        Deque<Schema> pending = new ArrayDeque<>(schemaRoots(document));
        while (!pending.isEmpty()) {
            Schema schema = pending.pop();
            if (schema.getRef() != null) {
                String name = schema.getRef().substring(schema.getRef().lastIndexOf('/') + 1);
                if (used.add(name) && schemas.get(name) != null) {
                    pending.push(schemas.get(name));
                }
                continue;
            }
            Stream.of(
                            Optional.ofNullable(schema.getProperties())
                                    .map(Map::values)
                                    .orElse(List.of()),
                            Optional.ofNullable(schema.getAllOf()).orElse(List.of()),
                            Optional.ofNullable(schema.getAnyOf()).orElse(List.of()),
                            Optional.ofNullable(schema.getOneOf()).orElse(List.of()),
                            Stream.of(schema.getItems(), schema.getNot(), schema.getAdditionalPropertiesSchema())
                                    .filter(Objects::nonNull)
                                    .toList())
                    .flatMap(Collection::stream)
                    .forEach(pending::push);
        }
        schemas.keySet().stream()
                .filter(name -> !used.contains(name))
                .toList()
                .forEach(document.getComponents()::removeSchema);
    }

    /** The schemas of every operation's parameters, bodies and headers, and of the reusable ones. */
    private static List<Schema> schemaRoots(OpenAPI document) {
        List<Parameter> parameters = new ArrayList<>();
        List<Content> contents = new ArrayList<>();
        List<Header> headers = new ArrayList<>();
        List<APIResponse> responses = new ArrayList<>();
        for (PathItem path : document.getPaths().getPathItems().values()) {
            Optional.ofNullable(path.getParameters()).ifPresent(parameters::addAll);
            for (Operation operation : path.getOperations().values()) {
                Optional.ofNullable(operation.getParameters()).ifPresent(parameters::addAll);
                Optional.ofNullable(operation.getRequestBody())
                        .map(RequestBody::getContent)
                        .ifPresent(contents::add);
                responses.addAll(operation.getResponses().getAPIResponses().values());
            }
        }
        Components components = document.getComponents();
        Optional.ofNullable(components.getParameters()).map(Map::values).ifPresent(parameters::addAll);
        Optional.ofNullable(components.getHeaders()).map(Map::values).ifPresent(headers::addAll);
        Optional.ofNullable(components.getResponses()).map(Map::values).ifPresent(responses::addAll);
        Optional.ofNullable(components.getRequestBodies())
                .map(Map::values)
                .ifPresent(bodies -> bodies.forEach(body -> contents.add(body.getContent())));
        for (APIResponse response : responses) {
            contents.add(response.getContent());
            Optional.ofNullable(response.getHeaders()).map(Map::values).ifPresent(headers::addAll);
        }
        List<Schema> roots = new ArrayList<>();
        parameters.forEach(parameter -> roots.add(parameter.getSchema()));
        headers.forEach(header -> roots.add(header.getSchema()));
        contents.stream()
                .filter(Objects::nonNull)
                .forEach(content -> content.getMediaTypes().values().forEach(type -> roots.add(type.getSchema())));
        roots.removeIf(Objects::isNull);
        return roots;
    }

    /** Payara's own model class has the member; other implementations have none, which is fine. */
    private static void removePayaraEndpoints(OpenAPI document) {
        try {
            Object endpoints = document.getClass().getMethod("getEndpoints").invoke(document);
            if (endpoints instanceof Map<?, ?> map) {
                map.clear();
            }
        } catch (NoSuchMethodException notPayara) {
            LOG.log(Level.DEBUG, "No non-standard endpoints member to remove");
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not remove Payara's non-standard 'endpoints' from the OpenAPI document", e);
        }
    }
}
