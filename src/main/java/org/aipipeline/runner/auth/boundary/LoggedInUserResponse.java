package org.aipipeline.runner.auth.boundary;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.auth.control.Logins;

/** The spec's {@code {"loggedInUser": {"id", "username", "accessRefreshTokenPair": {...}}}}. */
public record LoggedInUserResponse(LoggedInUser loggedInUser) {

    @JsonbPropertyOrder({"id", "username", "accessRefreshTokenPair"})
    public record LoggedInUser(UUID id, String username, TokenPair accessRefreshTokenPair) {}

    @JsonbPropertyOrder({"accessToken", "refreshToken", "refreshExpiration"})
    public record TokenPair(String accessToken, String refreshToken, Instant refreshExpiration) {}

    static LoggedInUserResponse of(Logins.LoggedIn in) {
        return new LoggedInUserResponse(new LoggedInUser(
                in.userId(),
                in.username(),
                new TokenPair(
                        in.access().token(), in.refresh().token(), in.refresh().expiresAt())));
    }
}
