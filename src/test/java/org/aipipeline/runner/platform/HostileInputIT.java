package org.aipipeline.runner.platform;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.StringReader;
import java.net.URL;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.Multipart;
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
 * A corpus of hostile requests over every route of the REST API. Each one must be answered by a
 * 4xx RFC 9457 problem (never a 5xx) whose detail says what to fix, with the status the contract
 * names; and none may leave anything behind (no user, key, run or file is created, no name changed).
 * Data-driven: the cases are rows built below, all sent against one deployment.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileInputIT {

    /** Route templates with a JSON body; {self} is the caller's own user id. */
    private static final List<String> JSON_ROUTES = List.of(
            "POST Auth/Register",
            "POST Auth/Login",
            "POST Auth/Refresh",
            "POST Auth/ApiKey",
            "PUT Users/{self}",
            "POST Pipelines",
            "POST Pipelines/Awaited",
            "POST Pipelines/Batch");
    /** Every route with an id in its path. */
    private static final List<String> ID_ROUTES = List.of(
            "GET Users/{id}",
            "PUT Users/{id}",
            "DELETE Users/{id}",
            "GET Files/{id}",
            "GET Files/{id}/Download",
            "DELETE Files/{id}",
            "GET PipelineResults/{id}",
            "GET PipelineResults/Batch/{id}");
    /** Every listing with pagination. */
    private static final List<String> PAGED_ROUTES =
            List.of("Nodes", "Files", "PipelineResults", "PipelineResults/Batch/" + UUID.randomUUID());

    /**
     * Bodies above this are sent over a plain socket: the runner answers 413 before reading them
     * and closes the connection, which the JDK client reports as an EOF instead of the answer.
     */
    private static final int OVERSIZE = 8 << 20;

    private static final String MARK = "hostile-" + UUID.randomUUID().toString().substring(0, 8);
    private static final String STEP = "{\"nodeId\":\"" + MARK + "\",\"procedureId\":\"p\"}";

    @Deployment(testable = false)
    static WebArchive deployment() {
        return RunnerDeployment.war();
    }

    @ArquillianResource
    URL url;

    /** One hostile request and the status the contract gives it. */
    private record Case(String name, String method, String path, String contentType, byte[] body, int expected) {}

    @Test
    void everyHostileRequestIsA4xxProblemThatSaysWhatToFixAndWritesNothing() throws Exception {
        Api api = new Api(url);
        Session session = Session.register(api);
        Api http11 = Api.http11(url);
        List<Case> cases = new ArrayList<>();
        jsonBodies(cases, session);
        ids(cases);
        paging(cases);
        uploads(cases);

        List<Executable> checks = new ArrayList<>();
        for (Case c : cases) {
            if (c.body() != null && c.body().length > OVERSIZE) {
                boolean anonymous = c.path().contains("Auth/") && !c.path().contains("ApiKey");
                List<String> headers = anonymous
                        ? List.of("Content-Type: " + c.contentType())
                        : List.of("Authorization: " + session.bearer(), "Content-Type: " + c.contentType());
                RawHttp reply = RawHttp.exchange(url, c.method(), c.path(), headers, c.body(), false);
                checks.add(() -> assertProblem(c, reply.status(), reply.contentType(), reply.body()));
            } else {
                try {
                    Api.Reply reply = http11.send(request(http11, session, c));
                    checks.add(() -> assertProblem(c, reply.status(), reply.contentType(), reply.body()));
                } catch (RuntimeException e) {
                    checks.add(() -> fail(c.name() + " -> no answer: " + e.getMessage(), e));
                }
            }
        }
        assertAll("hostile requests (" + cases.size() + ")", checks);
        assertNothingWritten(session);
    }

    /**
     * A body streamed without Content-Length (chunked) cannot be refused up front: the limit must
     * hold as it is read, on every JSON route, and the answer must still be the 413 problem.
     */
    @Test
    void aChunkedJsonBodyOverTheLimitIsRefusedWith413OnEveryJsonRoute() throws Exception {
        Session session = Session.register(new Api(url));
        byte[] tenMegabytes = utf8("{\"username\":\"" + "x".repeat(10 << 20) + "\"}");
        List<Executable> checks = new ArrayList<>();
        for (String route : JSON_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = "api/v1/"
                    + route.substring(route.indexOf(' ') + 1)
                            .replace("{self}", session.userId().toString());
            RawHttp reply = RawHttp.exchange(
                    url,
                    method,
                    path,
                    List.of("Authorization: " + session.bearer(), "Content-Type: application/json"),
                    tenMegabytes,
                    true);
            Case c = new Case(route + ": 10 MB chunked body", method, path, "application/json", tenMegabytes, 413);
            checks.add(() -> assertProblem(c, reply.status(), reply.contentType(), reply.body()));
            checks.add(() -> assertTrue(
                    reply.body().contains("api.json.max-size"), c.name() + " names the setting: " + reply.body()));
        }
        RawHttp small = RawHttp.exchange(
                url,
                "POST",
                "api/v1/Auth/Register",
                List.of("Content-Type: application/json"),
                utf8("{\"username\":\"chunked-" + UUID.randomUUID() + "\",\"password\":\"correct horse battery\"}"),
                true);
        checks.add(
                () -> assertEquals(201, small.status(), "a chunked body within the limit is read as usual: " + small));
        assertAll("chunked bodies", checks);
    }

    /** Bodies every JSON route must refuse, each with the status it deserves. */
    private static void jsonBodies(List<Case> cases, Session session) {
        String deepInput =
                "{\"input\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + ",\"steps\":[" + STEP + "]}";
        String deepUnknown = "{\"x\":" + "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000) + "}";
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);
        String tenMegabytes =
                "{\"input\":{\"type\":\"ApString\",\"value\":\"" + "x".repeat(10 << 20) + "\"},\"username\":\"a\"}";
        for (String route : JSON_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            String path = "api/v1/"
                    + route.substring(route.indexOf(' ') + 1)
                            .replace("{self}", session.userId().toString());
            String typical = typicalBody(route);
            row(cases, route + ": object nested 10,000 deep in a known field", method, path, deepInput, 400);
            row(cases, route + ": object nested 10,000 deep in an unknown field", method, path, deepUnknown, 400);
            row(cases, route + ": arrays nested 10,000 deep", method, path, deepArrays, 400);
            row(cases, route + ": 10 MB body", method, path, tenMegabytes, 413);
            cases.add(new Case(
                    route + ": invalid UTF-8",
                    method,
                    path,
                    "application/json",
                    concat(
                            typical.substring(0, typical.length() - 1),
                            ",\"z\":\"",
                            HexFormat.of().parseHex("c328ff"),
                            "\"}"),
                    400));
            cases.add(new Case(
                    route + ": overlong UTF-8 quote",
                    method,
                    path,
                    "application/json",
                    concat("{\"a\":\"", HexFormat.of().parseHex("c0a2"), "\"}"),
                    400));
            row(
                    cases,
                    route + ": raw NUL in a string",
                    method,
                    path,
                    typical.replaceFirst("\":\"", "\":\"\u0000"),
                    400);
            row(
                    cases,
                    route + ": escaped NUL in a string",
                    method,
                    path,
                    typical.replaceFirst("\":\"", "\":\"\\\\u0000"),
                    400);
            row(
                    cases,
                    route + ": raw control character in a string",
                    method,
                    path,
                    typical.replaceFirst("\":\"", "\":\"\u0007"),
                    400);
            row(
                    cases,
                    route + ": lone surrogate escape",
                    method,
                    path,
                    typical.replaceFirst("\":\"", "\":\"\\\\ud800"),
                    400);
            row(cases, route + ": NUL outside strings", method, path, "{\u0000}", 400);
            row(cases, route + ": duplicated key", method, path, typical.replaceFirst("\\{", "{\"k\":1,\"k\":2,"), 400);
            row(cases, route + ": not JSON", method, path, "this is not json", 400);
            row(cases, route + ": a JSON array instead of an object", method, path, "[" + typical + "]", 400);
            row(cases, route + ": truncated", method, path, typical.substring(0, typical.length() / 2), 400);
            row(cases, route + ": empty body", method, path, "", 400);
            row(cases, route + ": JSON null", method, path, "null", 400);
            cases.add(new Case(route + ": text/plain", method, path, "text/plain", utf8(typical), 415));
            cases.add(new Case(route + ": application/xml", method, path, "application/xml", utf8("<a/>"), 415));
            cases.add(new Case(
                    route + ": charset UTF-16",
                    method,
                    path,
                    "application/json; charset=UTF-16",
                    typical.getBytes(StandardCharsets.UTF_16),
                    415));
            cases.add(new Case(route + ": no Content-Type", method, path, null, utf8(typical), 415));
        }
        String huge = "9".repeat(40);
        // numbers beyond 64 bits, unknown enum values, ids that are not UUIDs, huge arrays
        row(
                cases,
                "Awaited: timeoutSeconds beyond 64 bits",
                "POST",
                "api/v1/Pipelines/Awaited",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":[" + STEP + "],\"timeoutSeconds\":" + huge + "}",
                422);
        row(
                cases,
                "Awaited: timeoutSeconds 1e400",
                "POST",
                "api/v1/Pipelines/Awaited",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":[" + STEP + "],\"timeoutSeconds\":1e400}",
                422);
        row(
                cases,
                "Awaited: timeoutSeconds -2^63",
                "POST",
                "api/v1/Pipelines/Awaited",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":[" + STEP
                        + "],\"timeoutSeconds\":-9223372036854775808}",
                422);
        row(
                cases,
                "Awaited: timeoutSeconds as a string",
                "POST",
                "api/v1/Pipelines/Awaited",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":[" + STEP + "],\"timeoutSeconds\":\"ten\"}",
                400);
        row(
                cases,
                "Pipelines: ApInt beyond 64 bits",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApInt\",\"value\":" + huge + "},\"steps\":[" + STEP + "]}",
                422);
        row(
                cases,
                "Pipelines: ApDecimal 1e400",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApDecimal\",\"value\":1e400},\"steps\":[" + STEP + "]}",
                422);
        row(
                cases,
                "Pipelines: unknown ApElement type",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApQuantum\",\"value\":1},\"steps\":[" + STEP + "]}",
                422);
        row(
                cases,
                "Pipelines: ApFile id not a UUID",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApFile\",\"id\":\"not-a-uuid\",\"contentType\":\"image/png\"},\"steps\":["
                        + STEP + "]}",
                422);
        row(cases, "Pipelines: no input", "POST", "api/v1/Pipelines", "{\"steps\":[" + STEP + "]}", 422);
        row(
                cases,
                "Pipelines: steps is an object",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":{}}",
                400);
        row(
                cases,
                "Pipelines: 100,000 steps",
                "POST",
                "api/v1/Pipelines",
                "{\"input\":{\"type\":\"ApInt\",\"value\":1},\"steps\":[" + (STEP + ",").repeat(99_999) + STEP + "]}",
                422);
        row(
                cases,
                "Batch: 200,000 inputs",
                "POST",
                "api/v1/Pipelines/Batch",
                "{\"inputs\":[" + "{\"type\":\"ApInt\",\"value\":1},".repeat(199_999)
                        + "{\"type\":\"ApInt\",\"value\":1}],\"steps\":[" + STEP + "]}",
                422);
        row(
                cases,
                "Batch: 1,000,000 nulls",
                "POST",
                "api/v1/Pipelines/Batch",
                "{\"inputs\":[" + "null,".repeat(999_999) + "null],\"steps\":[" + STEP + "]}",
                422);
        row(
                cases,
                "Register: id not a UUID",
                "POST",
                "api/v1/Auth/Register",
                "{\"id\":\"not-a-uuid\",\"username\":\"" + MARK + "-a\",\"password\":\"correct horse battery\"}",
                422);
        row(
                cases,
                "Register: username of 100,000 characters",
                "POST",
                "api/v1/Auth/Register",
                "{\"username\":\"" + MARK + "x".repeat(100_000) + "\",\"password\":\"correct horse battery\"}",
                422);
        row(
                cases,
                "Register: password of 1,000,000 characters",
                "POST",
                "api/v1/Auth/Register",
                "{\"username\":\"" + MARK + "-b\",\"password\":\"" + "p".repeat(1_000_000) + "\"}",
                422);
        row(
                cases,
                "ApiKey: validUntil in year 3,000,000",
                "POST",
                "api/v1/Auth/ApiKey",
                "{\"name\":\"" + MARK + "\",\"validUntil\":\"3000000-01-01T00:00:00Z\"}",
                400);
        row(
                cases,
                "ApiKey: validUntil a number",
                "POST",
                "api/v1/Auth/ApiKey",
                "{\"name\":\"" + MARK + "\",\"validUntil\":" + huge + "}",
                400);
        row(
                cases,
                "ApiKey: name of 100,000 characters",
                "POST",
                "api/v1/Auth/ApiKey",
                "{\"name\":\"" + "n".repeat(100_000) + "\"}",
                422);
        row(
                cases,
                "Refresh: tokens of 1,000,000 characters",
                "POST",
                "api/v1/Auth/Refresh",
                "{\"accessToken\":\"" + "a".repeat(1_000_000) + "\",\"refreshToken\":\"" + "r".repeat(1_000_000)
                        + "\"}",
                422);
        row(
                cases,
                "Users: username with a newline",
                "PUT",
                "api/v1/Users/" + session.userId(),
                "{\"username\":\"" + MARK + "\\nroot\"}",
                422);
    }

    private static String typicalBody(String route) {
        if (route.contains("Pipelines/Batch")) {
            return "{\"inputs\":[{\"type\":\"ApString\",\"value\":\"x\"}],\"steps\":[" + STEP + "]}";
        }
        if (route.contains("Pipelines")) {
            return "{\"input\":{\"type\":\"ApString\",\"value\":\"x\"},\"steps\":[" + STEP + "],\"timeoutSeconds\":5}";
        }
        if (route.contains("ApiKey")) {
            return "{\"name\":\"" + MARK + "\"}";
        }
        if (route.contains("Refresh")) {
            return "{\"accessToken\":\"a\",\"refreshToken\":\"r\"}";
        }
        return "{\"username\":\"" + MARK + "-c\",\"password\":\"correct horse battery\"}";
    }

    private static void ids(List<Case> cases) {
        for (String route : ID_ROUTES) {
            String method = route.substring(0, route.indexOf(' '));
            for (String id : List.of(
                    "not-a-uuid",
                    "00000000-0000-0000-0000-00000000000g",
                    "1",
                    "-1",
                    "123e4567e89b12d3a456426614174000",
                    "%7B" + UUID.randomUUID() + "%7D",
                    "9".repeat(2000),
                    "%E2%80%8B" + UUID.randomUUID(),
                    UUID.randomUUID() + "%20",
                    "%2E%2E")) {
                String path =
                        "api/v1/" + route.substring(route.indexOf(' ') + 1).replace("{id}", id);
                String body = method.equals("PUT") ? "{\"username\":\"" + MARK + "-d\"}" : null;
                cases.add(new Case(
                        route + " with id " + abbreviate(id),
                        method,
                        path,
                        body == null ? null : "application/json",
                        body == null ? null : utf8(body),
                        400));
            }
        }
        cases.add(new Case(
                "GET Users/..%2F..%2Fetc%2Fpasswd", "GET", "api/v1/Users/..%2F..%2Fetc%2Fpasswd", null, null, 404));
        cases.add(new Case(
                "DELETE Auth/ApiKey/{name} with a name of 4,000 characters",
                "DELETE",
                "api/v1/Auth/ApiKey/" + "k".repeat(4000),
                null,
                null,
                404));
    }

    private static void paging(List<Case> cases) {
        for (String route : PAGED_ROUTES) {
            for (String query : List.of(
                    "pageNumber=-1",
                    "pageNumber=0",
                    "pageSize=-5",
                    "pageSize=0",
                    "pageSize=101",
                    "pageSize=2147483648",
                    "pageNumber=9223372036854775808",
                    "pageNumber=" + "9".repeat(400),
                    "pageNumber=1e3",
                    "pageNumber=1.5",
                    "pageSize=0x10",
                    "pageNumber=%00",
                    "pageSize=%EF%BC%91",
                    "pageSize=+",
                    "pageSize=%2B5%2B")) {
                cases.add(new Case(
                        "GET " + route + "?" + query, "GET", "api/v1/" + route + "?" + query, null, null, 400));
            }
        }
        cases.add(new Case(
                "GET PipelineResults?after=garbage", "GET", "api/v1/PipelineResults?after=garbage", null, null, 400));
        cases.add(new Case(
                "GET PipelineResults?after=4,000 characters",
                "GET",
                "api/v1/PipelineResults?after=" + "A".repeat(4000),
                null,
                null,
                400));
        cases.add(new Case(
                "GET Files?storageScope=Forever", "GET", "api/v1/Files?storageScope=Forever", null, null, 400));
        cases.add(new Case(
                "GET Files?storageScope=longterm%00", "GET", "api/v1/Files?storageScope=LongTerm%00", null, null, 400));
    }

    private static void uploads(List<Case> cases) {
        byte[] content = utf8("hello");
        cases.add(multipart(
                "Upload: storageScope Forever",
                new Multipart().file("file", "a.txt", "text/plain", content).field("storageScope", "Forever"),
                422));
        cases.add(multipart(
                "Upload: id not a UUID",
                new Multipart().file("file", "a.txt", "text/plain", content).field("id", "not-a-uuid"),
                422));
        cases.add(multipart("Upload: no file part", new Multipart().field("storageScope", "LongTerm"), 422));
        cases.add(new Case(
                "Upload: JSON instead of multipart",
                "POST",
                "api/v1/Files/Upload",
                "application/json",
                utf8("{}"),
                415));
        cases.add(new Case(
                "Upload: multipart without a boundary",
                "POST",
                "api/v1/Files/Upload",
                "multipart/form-data",
                utf8("--x\r\n\r\n"),
                400));
        cases.add(new Case(
                "Upload: multipart with a broken body",
                "POST",
                "api/v1/Files/Upload",
                "multipart/form-data; boundary=xyz",
                utf8("--xyz\r\nContent-Disposition: form-data; name=\"file\"\r\n"),
                400));
    }

    private static Case multipart(String name, Multipart form, int expected) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try (var in = form.stream()) {
            in.transferTo(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return new Case(name, "POST", "api/v1/Files/Upload", form.contentType(), body.toByteArray(), expected);
    }

    private static HttpRequest.Builder request(Api api, Session session, Case c) {
        HttpRequest.Builder builder = api.request(
                c.path(),
                c.path().contains("Auth/Register")
                                || c.path().contains("Auth/Login")
                                || c.path().contains("Auth/Refresh")
                        ? null
                        : session.bearer());
        if (c.contentType() != null) {
            builder.header("Content-Type", c.contentType());
        }
        HttpRequest.BodyPublisher body = c.body() == null
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        return builder.method(c.method(), body);
    }

    private static void assertProblem(Case c, int status, String contentType, String body) {
        String where = c.name() + " -> " + status + " " + abbreviate(body);
        assertTrue(status >= 400 && status < 500, where);
        assertEquals(c.expected(), status, where);
        assertTrue(contentType.startsWith("application/problem+json"), where);
        JsonObject problem = Json.createReader(new StringReader(body)).readObject();
        assertEquals(status, problem.getInt("status"), where);
        assertFalse(problem.getString("title", "").isBlank(), where);
        String detail = problem.getString("detail", "");
        assertTrue(detail.length() >= 15, "the detail says what to fix: " + where);
        assertFalse(detail.startsWith("Unexpected error"), where);
        if (status == 422) {
            assertFalse(problem.getJsonArray("errors").isEmpty(), "a 422 names its fields: " + where);
        }
    }

    /** Nothing the rejected requests carried reached the database. */
    private static void assertNothingWritten(Session session) throws Exception {
        try (Connection db = DriverManager.getConnection(
                System.getProperty("it.db.url"),
                System.getProperty("it.db.user"),
                System.getProperty("it.db.password"))) {
            assertEquals(
                    0,
                    count(db, "select count(*) from users where username_key like ?", MARK.toLowerCase() + "%"),
                    "users");
            assertEquals(0, count(db, "select count(*) from api_keys where user_id = ?", session.userId()), "api keys");
            assertEquals(
                    0, count(db, "select count(*) from pipeline_results where user_id = ?", session.userId()), "runs");
            assertEquals(
                    0,
                    count(db, "select count(*) from pipeline_batches where user_id = ?", session.userId()),
                    "batches");
            assertEquals(
                    0,
                    count(db, "select count(*) from fileservice_files where user_guid = ?", session.userId()),
                    "files");
            assertEquals(
                    1,
                    count(
                            db,
                            "select count(*) from users where id = ? and username = ?",
                            session.userId(),
                            session.username()),
                    "the caller's name is unchanged");
        }
    }

    private static long count(Connection db, String sql, Object... parameters) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void row(List<Case> cases, String name, String method, String path, String json, int expected) {
        cases.add(new Case(name, method, path, "application/json", utf8(json), expected));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] bytes ? bytes : utf8((String) part));
        }
        return out.toByteArray();
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }
}
