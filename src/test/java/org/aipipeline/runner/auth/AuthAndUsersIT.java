package org.aipipeline.runner.auth;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.aipipeline.runner.testing.Api;
import org.aipipeline.runner.testing.DeployedRunner;
import org.aipipeline.runner.testing.Poll;
import org.aipipeline.runner.testing.Session;
import org.junit.jupiter.api.Test;

/** Auth, Users and the platform conventions, driven from outside over HTTP against the built WAR. */
class AuthAndUsersIT extends DeployedRunner {

    // ---- Register ---------------------------------------------------------------------------

    @Test
    void registerReturnsTheUserWithLocationAndNoSecrets() {
        String name = "reg-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply reply =
                api.post("api/v1/Auth/Register", null, "{\"username\":\"" + name + "\",\"password\":\"password123\"}");
        assertEquals(201, reply.status(), reply.toString());
        JsonObject user = reply.json().getJsonObject("user");
        assertEquals(name, user.getString("username"));
        UUID id = UUID.fromString(user.getString("id"));
        assertTrue(reply.header("Location").orElseThrow().endsWith("/api/v1/Users/" + id));
        assertTrue(user.getString("createdAt").endsWith("Z"));
        assertFalse(reply.body().contains("password"), reply.body());
    }

    @Test
    void registerHonoursAGivenIdAndRejectsItTwice() {
        UUID id = UUID.randomUUID();
        String body = "{\"id\":\"" + id + "\",\"username\":\"id-"
                + id.toString().substring(0, 8) + "\",\"password\":\"password123\"}";
        Api.Reply first = api.post("api/v1/Auth/Register", null, body);
        assertEquals(201, first.status(), first.toString());
        assertEquals(id.toString(), first.json().getJsonObject("user").getString("id"));
        Api.Reply again = api.post(
                "api/v1/Auth/Register",
                null,
                "{\"id\":\"" + id + "\",\"username\":\"other-" + id.toString().substring(0, 8)
                        + "\",\"password\":\"password123\"}");
        assertEquals(409, again.status(), again.toString());
    }

    @Test
    void usernamesAreUniqueCaseInsensitively() {
        String name = "Case-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(
                201,
                api.post("api/v1/Auth/Register", null, "{\"username\":\"" + name + "\",\"password\":\"password123\"}")
                        .status());
        Api.Reply clash = api.post(
                "api/v1/Auth/Register",
                null,
                "{\"username\":\"" + name.toUpperCase() + "\",\"password\":\"password123\"}");
        assertEquals(409, clash.status(), clash.toString());
        assertProblem(clash, 409);
    }

    @Test
    void invalidRegistrationNamesEveryBadField() {
        Api.Reply reply =
                api.post("api/v1/Auth/Register", null, "{\"id\":\"nope\",\"username\":\"a b\",\"password\":\"short\"}");
        assertEquals(422, reply.status(), reply.toString());
        assertProblem(reply, 422);
        String errors = reply.json().getJsonArray("errors").toString();
        assertAll(
                () -> assertTrue(errors.contains("\"field\":\"id\""), errors),
                () -> assertTrue(errors.contains("\"field\":\"username\""), errors),
                () -> assertTrue(errors.contains("\"field\":\"password\""), errors));
    }

    @Test
    void missingFieldsAre422AndTooLongNamesToo() {
        Api.Reply missing = api.post("api/v1/Auth/Register", null, "{}");
        assertEquals(422, missing.status(), missing.toString());
        String errors = missing.json().getJsonArray("errors").toString();
        assertTrue(errors.contains("username") && errors.contains("password"), errors);
        Api.Reply tooLong = api.post(
                "api/v1/Auth/Register", null, "{\"username\":\"" + "x".repeat(65) + "\",\"password\":\"password123\"}");
        assertEquals(422, tooLong.status(), tooLong.toString());
    }

    @Test
    void bodyThatIsNotJsonIs400ProblemDetails() {
        Api.Reply reply = api.post("api/v1/Auth/Register", null, "{not json");
        assertEquals(400, reply.status(), reply.toString());
        assertProblem(reply, 400);
        Api.Reply wrongShape = api.post("api/v1/Auth/Register", null, "[1,2,3]");
        assertEquals(400, wrongShape.status(), wrongShape.toString());
        Api.Reply empty = api.post("api/v1/Auth/Register", null, "");
        assertEquals(400, empty.status(), empty.toString());
    }

    @Test
    void wrongMediaTypeUnknownRouteAndWrongMethodAreProblems() {
        Api.Reply media = api.send(api.request("api/v1/Auth/Login", null)
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("hi")));
        assertEquals(415, media.status(), media.toString());
        assertProblem(media, 415);
        Api.Reply unknown = api.get("api/v1/NoSuchThing", null);
        assertEquals(404, unknown.status(), unknown.toString());
        assertProblem(unknown, 404);
        Api.Reply method = api.get("api/v1/Auth/Login", null);
        assertEquals(405, method.status(), method.toString());
        assertProblem(method, 405);
    }

    // ---- Login, tokens ----------------------------------------------------------------------

    @Test
    void loginReturnsTheSpecsTokenPair() {
        Session s = Session.register(api);
        Api.Reply reply = api.post(
                "api/v1/Auth/Login",
                null,
                "{\"username\":\"" + s.username() + "\",\"password\":\"" + s.password() + "\"}");
        assertEquals(200, reply.status());
        JsonObject user = reply.json().getJsonObject("loggedInUser");
        assertEquals(s.userId().toString(), user.getString("id"));
        assertEquals(s.username(), user.getString("username"));
        JsonObject pair = user.getJsonObject("accessRefreshTokenPair");
        assertEquals(3, pair.getString("accessToken").split("\\.").length);
        assertFalse(pair.getString("refreshToken").isBlank());
        Instant refreshExpiration = Instant.parse(pair.getString("refreshExpiration"));
        assertTrue(refreshExpiration.isAfter(Instant.now().plusSeconds(29L * 24 * 3600)));
    }

    @Test
    void loginIsCaseInsensitiveOnTheUsername() {
        Session s = Session.register(api);
        Session again = Session.login(api, s.username().toUpperCase(), s.password());
        assertEquals(s.userId(), again.userId());
    }

    @Test
    void wrongPasswordAndUnknownUserAre401() {
        Session s = Session.register(api);
        Api.Reply wrong = api.post(
                "api/v1/Auth/Login", null, "{\"username\":\"" + s.username() + "\",\"password\":\"wrongwrong\"}");
        assertEquals(401, wrong.status(), wrong.toString());
        assertProblem(wrong, 401);
        Api.Reply unknown = api.post(
                "api/v1/Auth/Login",
                null,
                "{\"username\":\"nobody-" + UUID.randomUUID() + "\",\"password\":\"wrongwrong\"}");
        assertEquals(401, unknown.status());
    }

    @Test
    void repeatedLoginFailuresAreThrottledWith429() {
        Session s = Session.register(api);
        String wrong = "{\"username\":\"" + s.username() + "\",\"password\":\"wrongwrong\"}";
        for (int i = 0; i < 5; i++) {
            assertEquals(401, api.post("api/v1/Auth/Login", null, wrong).status());
        }
        Api.Reply throttled = api.post(
                "api/v1/Auth/Login",
                null,
                "{\"username\":\"" + s.username() + "\",\"password\":\"" + s.password() + "\"}");
        assertEquals(429, throttled.status(), throttled.toString());
        assertProblem(throttled, 429);
        assertTrue(throttled.header("Retry-After").isPresent());
    }

    @Test
    void protectedRoutesNeedCredentials() {
        Session s = Session.register(api);
        Api.Reply none = api.get("api/v1/Users/" + s.userId(), null);
        assertEquals(401, none.status(), none.toString());
        assertProblem(none, 401);
        Api.Reply garbage = api.get("api/v1/Users/" + s.userId(), "Bearer not.a.jwt");
        assertEquals(401, garbage.status(), garbage.toString());
        assertProblem(garbage, 401);
        Api.Reply badKey = api.get("api/v1/Users/" + s.userId(), "apk_doesnotexist");
        assertEquals(401, badKey.status(), badKey.toString());
    }

    @Test
    void tamperedTokensAreRejected() {
        Session s = Session.register(api);
        String[] parts = s.accessToken().split("\\.");
        Base64.Decoder dec = Base64.getUrlDecoder();
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        String payload = new String(dec.decode(parts[1]), StandardCharsets.UTF_8);

        String otherSubject = enc.encodeToString(
                payload.replace(s.userId().toString(), UUID.randomUUID().toString())
                        .getBytes(StandardCharsets.UTF_8));
        String forged = parts[0] + "." + otherSubject + "." + parts[2];
        assertEquals(
                401, api.get("api/v1/Users/" + s.userId(), "Bearer " + forged).status(), "modified payload");

        String wrongIssuer = enc.encodeToString(payload.replace("aipipeline-orchestration-runner", "evil-issuer")
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(
                401,
                api.get("api/v1/Users/" + s.userId(), "Bearer " + parts[0] + "." + wrongIssuer + "." + parts[2])
                        .status(),
                "wrong issuer");

        String none = enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(
                401,
                api.get("api/v1/Users/" + s.userId(), "Bearer " + none + "." + parts[1] + ".")
                        .status(),
                "alg none");

        String signature = parts[2];
        char flipped = signature.charAt(10) == 'A' ? 'B' : 'A';
        String badSignature = signature.substring(0, 10) + flipped + signature.substring(11);
        assertEquals(
                401,
                api.get("api/v1/Users/" + s.userId(), "Bearer " + parts[0] + "." + parts[1] + "." + badSignature)
                        .status(),
                "wrong signature");

        assertEquals(200, api.get("api/v1/Users/" + s.userId(), s.bearer()).status(), "the genuine token still works");
    }

    @Test
    void expiredTokensAreRejected() {
        Session s = Session.register(api);
        String expired = TestTokens.signedWithRunnerKey(
                s.userId(), Instant.now().minusSeconds(3600), Instant.now().minusSeconds(60));
        Api.Reply reply = api.get("api/v1/Users/" + s.userId(), "Bearer " + expired);
        assertEquals(401, reply.status(), reply.toString());
        String fresh = TestTokens.signedWithRunnerKey(
                s.userId(), Instant.now(), Instant.now().plusSeconds(600));
        assertEquals(
                200,
                api.get("api/v1/Users/" + s.userId(), "Bearer " + fresh).status(),
                "a token signed with the same key and valid times is accepted, so the 401 above was the expiry");
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() {
        Session s = Session.register(api);
        String foreign = TestTokens.signedWithFreshKey(s.userId());
        assertEquals(
                401, api.get("api/v1/Users/" + s.userId(), "Bearer " + foreign).status());
    }

    // ---- Refresh ----------------------------------------------------------------------------

    @Test
    void refreshRotatesThePair() {
        Session s = Session.register(api);
        Api.Reply reply = refresh(s.accessToken(), s.refreshToken());
        assertEquals(200, reply.status(), reply.toString());
        JsonObject pair = reply.json().getJsonObject("loggedInUser").getJsonObject("accessRefreshTokenPair");
        assertNotEquals(s.refreshToken(), pair.getString("refreshToken"));
        assertEquals(
                200,
                api.get("api/v1/Users/" + s.userId(), "Bearer " + pair.getString("accessToken"))
                        .status());
        assertEquals(
                200,
                refresh(pair.getString("accessToken"), pair.getString("refreshToken"))
                        .status(),
                "the rotated refresh token works once");
    }

    @Test
    void reusedRefreshTokenRevokesTheWholeFamily() {
        Session s = Session.register(api);
        JsonObject second = refresh(s.accessToken(), s.refreshToken())
                .json()
                .getJsonObject("loggedInUser")
                .getJsonObject("accessRefreshTokenPair");
        Api.Reply replay = refresh(s.accessToken(), s.refreshToken());
        assertEquals(401, replay.status(), replay.toString());
        assertProblem(replay, 401);
        Api.Reply successor = refresh(second.getString("accessToken"), second.getString("refreshToken"));
        assertEquals(401, successor.status(), "the successor of a replayed token is revoked too: " + successor);
        Session other = Session.login(api, s.username(), s.password());
        assertEquals(200, refresh(other.accessToken(), other.refreshToken()).status(), "other sessions are untouched");
    }

    @Test
    void refreshNeedsAMatchingAccessTokenOfOurs() {
        Session a = Session.register(api);
        Session b = Session.register(api);
        assertEquals(401, refresh(b.accessToken(), a.refreshToken()).status(), "another user's access token");
        assertEquals(401, refresh("not-a-token", a.refreshToken()).status(), "garbage access token");
        assertEquals(401, refresh(a.accessToken(), "rt_unknown").status(), "unknown refresh token");
        assertEquals(
                422,
                api.post("api/v1/Auth/Refresh", null, "{\"accessToken\":\"\"}").status());
    }

    // ---- API keys ---------------------------------------------------------------------------

    @Test
    void apiKeyIsShownOnceAndAuthenticatesEveryProtectedRoute() {
        Session s = Session.register(api);
        Api.Reply created = api.post("api/v1/Auth/ApiKey", s.bearer(), "{\"name\":\"ci\"}");
        assertEquals(201, created.status(), created.toString());
        JsonObject key = created.json().getJsonObject("apiKey");
        assertEquals("ci", key.getString("name"));
        assertTrue(key.isNull("validUntil"));
        String secret = key.getString("key");
        assertTrue(secret.length() >= 40);

        Api.Reply me = api.get("api/v1/Users/" + s.userId(), secret);
        assertEquals(200, me.status(), me.toString());
        String listed = me.json().getJsonObject("user").getJsonArray("apiKeys").toString();
        assertTrue(listed.contains("\"name\":\"ci\""), listed);
        assertFalse(me.body().contains(secret), "the key is never shown again");
    }

    @Test
    void apiKeyNamesAreUniquePerUser() {
        Session a = Session.register(api);
        Session b = Session.register(api);
        assertEquals(
                201,
                api.post("api/v1/Auth/ApiKey", a.bearer(), "{\"name\":\"dup\"}").status());
        Api.Reply dup = api.post("api/v1/Auth/ApiKey", a.bearer(), "{\"name\":\"dup\"}");
        assertEquals(409, dup.status(), dup.toString());
        assertProblem(dup, 409);
        assertEquals(
                201,
                api.post("api/v1/Auth/ApiKey", b.bearer(), "{\"name\":\"dup\"}").status(),
                "another user may reuse the name");
    }

    @Test
    void deletedApiKeyStopsWorkingAtOnce() {
        Session s = Session.register(api);
        String secret = api.post("api/v1/Auth/ApiKey", s.bearer(), "{\"name\":\"temp\"}")
                .json()
                .getJsonObject("apiKey")
                .getString("key");
        assertEquals(200, api.get("api/v1/Users/" + s.userId(), secret).status());
        assertEquals(204, api.delete("api/v1/Auth/ApiKey/temp", s.bearer()).status());
        assertEquals(401, api.get("api/v1/Users/" + s.userId(), secret).status());
        assertEquals(404, api.delete("api/v1/Auth/ApiKey/temp", s.bearer()).status());
    }

    @Test
    void expiredApiKeyFailsWith401() {
        Session s = Session.register(api);
        String validUntil = Instant.now().plusSeconds(2).toString();
        String secret = api.post(
                        "api/v1/Auth/ApiKey", s.bearer(), "{\"name\":\"short\",\"validUntil\":\"" + validUntil + "\"}")
                .json()
                .getJsonObject("apiKey")
                .getString("key");
        Poll.until(
                java.time.Duration.ofSeconds(10),
                () -> api.get("api/v1/Users/" + s.userId(), secret).status(),
                status -> status == 401,
                "the key to expire");
        Api.Reply past = api.post(
                "api/v1/Auth/ApiKey", s.bearer(), "{\"name\":\"past\",\"validUntil\":\"2001-01-01T00:00:00Z\"}");
        assertEquals(422, past.status(), past.toString());
        assertTrue(past.body().contains("validUntil"));
    }

    @Test
    void apiKeyCallersMayNotManageKeys() {
        Session s = Session.register(api);
        String secret = api.post("api/v1/Auth/ApiKey", s.bearer(), "{\"name\":\"svc\"}")
                .json()
                .getJsonObject("apiKey")
                .getString("key");
        Api.Reply create = api.post("api/v1/Auth/ApiKey", secret, "{\"name\":\"another\"}");
        assertEquals(403, create.status(), create.toString());
        assertProblem(create, 403);
        assertEquals(403, api.delete("api/v1/Auth/ApiKey/svc", secret).status());
    }

    // ---- Users ------------------------------------------------------------------------------

    @Test
    void otherUsersSeePublicDetailsWithoutApiKeys() {
        Session a = Session.register(api);
        Session b = Session.register(api);
        api.post("api/v1/Auth/ApiKey", a.bearer(), "{\"name\":\"private\"}");
        Api.Reply seen = api.get("api/v1/Users/" + a.userId(), b.bearer());
        assertEquals(200, seen.status());
        JsonObject user = seen.json().getJsonObject("user");
        assertEquals(a.username(), user.getString("username"));
        assertFalse(user.containsKey("apiKeys"), seen.body());
    }

    @Test
    void unknownAndMalformedUserIds() {
        Session s = Session.register(api);
        assertEquals(
                404, api.get("api/v1/Users/" + UUID.randomUUID(), s.bearer()).status());
        Api.Reply bad = api.get("api/v1/Users/not-a-uuid", s.bearer());
        assertEquals(400, bad.status(), bad.toString());
        assertProblem(bad, 400);
    }

    @Test
    void updateChangesNameAndPassword() {
        Session s = Session.register(api);
        String newName = "renamed-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Reply updated = api.put(
                "api/v1/Users/" + s.userId(),
                s.bearer(),
                "{\"username\":\"" + newName + "\",\"password\":\"new password 1\"}");
        assertEquals(200, updated.status(), updated.toString());
        assertEquals(newName, updated.json().getJsonObject("user").getString("username"));
        assertEquals(
                401,
                api.post(
                                "api/v1/Auth/Login",
                                null,
                                "{\"username\":\"" + newName + "\",\"password\":\"" + s.password() + "\"}")
                        .status());
        assertEquals(s.userId(), Session.login(api, newName, "new password 1").userId());
    }

    @Test
    void updateRules() {
        Session a = Session.register(api);
        Session b = Session.register(api);
        assertEquals(
                403,
                api.put(
                                "api/v1/Users/" + a.userId(),
                                b.bearer(),
                                "{\"username\":\"hijack-"
                                        + UUID.randomUUID().toString().substring(0, 6) + "\"}")
                        .status());
        Api.Reply taken = api.put("api/v1/Users/" + b.userId(), b.bearer(), "{\"username\":\"" + a.username() + "\"}");
        assertEquals(409, taken.status(), taken.toString());
        Api.Reply invalid = api.put("api/v1/Users/" + b.userId(), b.bearer(), "{\"password\":\"short\"}");
        assertEquals(422, invalid.status(), invalid.toString());
        assertTrue(invalid.body().contains("\"field\":\"password\""));
        assertEquals(
                a.username(),
                api.get("api/v1/Users/" + a.userId(), a.bearer())
                        .json()
                        .getJsonObject("user")
                        .getString("username"),
                "the refused changes left the account as it was");
    }

    @Test
    void deleteRemovesTheAccountAndItsCredentials() {
        Session a = Session.register(api);
        Session b = Session.register(api);
        String key = api.post("api/v1/Auth/ApiKey", a.bearer(), "{\"name\":\"k\"}")
                .json()
                .getJsonObject("apiKey")
                .getString("key");
        assertEquals(403, api.delete("api/v1/Users/" + a.userId(), b.bearer()).status(), "not yourself");
        assertEquals(204, api.delete("api/v1/Users/" + a.userId(), a.bearer()).status());
        assertEquals(404, api.get("api/v1/Users/" + a.userId(), b.bearer()).status());
        assertEquals(
                401, api.get("api/v1/Users/" + b.userId(), a.bearer()).status(), "the access token died with the user");
        assertEquals(401, api.get("api/v1/Users/" + b.userId(), key).status(), "the API key died with the user");
        assertEquals(401, refresh(a.accessToken(), a.refreshToken()).status(), "the refresh token died with the user");
        assertEquals(
                401,
                api.post(
                                "api/v1/Auth/Login",
                                null,
                                "{\"username\":\"" + a.username() + "\",\"password\":\"" + a.password() + "\"}")
                        .status());
        assertEquals(
                201,
                api.post(
                                "api/v1/Auth/Register",
                                null,
                                "{\"username\":\"" + a.username() + "\",\"password\":\"password123\"}")
                        .status(),
                "the name is free again");
    }

    // ---- Platform ---------------------------------------------------------------------------

    @Test
    void openApiListsEveryAuthAndUsersRoute() {
        Api.Reply doc = api.send(api.request("openapi", null)
                .header("Accept", "application/json")
                .GET());
        assertEquals(200, doc.status(), doc.toString());
        JsonObject paths = doc.json().getJsonObject("paths");
        for (String path : new String[] {
            "/api/v1/Auth/Register",
            "/api/v1/Auth/Login",
            "/api/v1/Auth/Refresh",
            "/api/v1/Auth/ApiKey",
            "/api/v1/Auth/ApiKey/{name}",
            "/api/v1/Users/{id}"
        }) {
            assertTrue(paths.containsKey(path), path + " missing from " + paths.keySet());
        }
        assertTrue(paths.getJsonObject("/api/v1/Users/{id}").containsKey("delete"));
        assertTrue(paths.getJsonObject("/api/v1/Users/{id}")
                .getJsonObject("put")
                .getJsonObject("responses")
                .containsKey("409"));
    }

    @Test
    void swaggerUiIsServed() {
        Api.Reply ui = api.get("swagger/", null);
        assertEquals(200, ui.status(), ui.toString());
        assertTrue(ui.body().contains("swagger-ui"), ui.body());
    }

    @Test
    void healthReportsTheDatabase() {
        Api.Reply ready = api.get("health/ready", null);
        assertEquals(200, ready.status(), ready.toString());
        assertTrue(ready.body().contains("database"), ready.body());
        assertEquals(200, api.get("health/live", null).status());
    }

    @Test
    void everyResponseCarriesARequestId() {
        Api.Reply reply = api.send(api.request("api/v1/Users/" + UUID.randomUUID(), null)
                .header("X-Request-Id", "trace-123")
                .GET());
        assertEquals("trace-123", reply.header("X-Request-Id").orElse(""));
        assertEquals("trace-123", reply.json().getString("requestId"));
    }

    private Api.Reply refresh(String access, String refresh) {
        return api.post(
                "api/v1/Auth/Refresh",
                null,
                "{\"accessToken\":\"" + access + "\",\"refreshToken\":\"" + refresh + "\"}");
    }

    private static void assertProblem(Api.Reply reply, int status) {
        assertTrue(
                reply.contentType().startsWith("application/problem+json"),
                "content type of " + reply + ": " + reply.contentType());
        JsonObject problem = reply.json();
        assertEquals(status, problem.getInt("status"));
        assertFalse(problem.getString("title").isBlank());
        assertFalse(problem.getString("detail").isBlank());
    }
}
