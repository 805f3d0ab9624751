package org.aipipeline.runner.testing;

import jakarta.json.JsonObject;
import java.util.UUID;

/** A freshly registered and logged-in user: every test makes its own, so tests never share data. */
public record Session(UUID userId, String username, String password, String accessToken, String refreshToken) {

    public String bearer() {
        return "Bearer " + accessToken;
    }

    public static Session register(Api api) {
        String username = "u-" + UUID.randomUUID().toString().substring(0, 18);
        String password = "correct horse " + UUID.randomUUID();
        Api.Reply registered = api.post(
                "api/v1/Auth/Register", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (registered.status() != 201) {
            throw new IllegalStateException("register failed: " + registered);
        }
        return login(api, username, password);
    }

    public static Session login(Api api, String username, String password) {
        Api.Reply login = api.post(
                "api/v1/Auth/Login", null, "{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}");
        if (login.status() != 200) {
            throw new IllegalStateException("login failed: " + login);
        }
        JsonObject user = login.json().getJsonObject("loggedInUser");
        JsonObject pair = user.getJsonObject("accessRefreshTokenPair");
        return new Session(
                UUID.fromString(user.getString("id")),
                username,
                password,
                pair.getString("accessToken"),
                pair.getString("refreshToken"));
    }
}
