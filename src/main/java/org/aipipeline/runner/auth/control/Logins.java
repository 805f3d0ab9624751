package org.aipipeline.runner.auth.control;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.auth.entity.RefreshToken;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.control.PasswordHasher;
import org.aipipeline.runner.users.control.Users;
import org.aipipeline.runner.users.entity.User;

/** Log-in and token refresh: each hands out a fresh access token and a single-use refresh token. */
@Stateless
public class Logins {

    public record LoggedIn(UUID userId, String username, AccessTokens.Issued access, RefreshTokens.Issued refresh) {}

    @Inject
    Users users;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccessTokens accessTokens;

    @EJB
    RefreshTokens refreshTokens;

    @Inject
    LoginThrottle throttle;

    public LoggedIn login(String username, String password) {
        throttle.checkAllowed(username);
        User user = users.findByUsername(username).orElse(null);
        if (user == null) {
            hasher.verifyAgainstNothing(password);
        }
        if (user == null || !hasher.verify(password, user.getPasswordHash())) {
            throttle.failed(username);
            throw new RunnerException.Unauthorized("Wrong username or password");
        }
        throttle.succeeded(username);
        return issue(user, UUID.randomUUID(), DatabaseTime.now());
    }

    /**
     * Rotates a refresh token. The access token must be one we signed for the same user (it may
     * have expired: that is why one refreshes). A token presented twice revokes its family.
     */
    public LoggedIn refresh(String accessToken, String refreshToken) {
        Instant now = DatabaseTime.now();
        RefreshToken stored = refreshTokens
                .find(refreshToken)
                .orElseThrow(() -> new RunnerException.Unauthorized("Unknown refresh token"));
        UUID subject = accessTokens
                .subjectOf(accessToken)
                .orElseThrow(() -> new RunnerException.Unauthorized("The access token is not one this runner issued"));
        if (!subject.equals(stored.getUserId())) {
            throw new RunnerException.Unauthorized("The access and refresh tokens belong to different users");
        }
        switch (stored.verdictAt(now)) {
            case REUSED -> {
                refreshTokens.revokeFamily(stored.getFamilyId(), now);
                throw new RunnerException.Unauthorized(
                        "This refresh token was already used; all tokens of this session are revoked, log in again");
            }
            case REVOKED -> throw new RunnerException.Unauthorized("This refresh token was revoked; log in again");
            case EXPIRED -> throw new RunnerException.Unauthorized("This refresh token has expired; log in again");
            case USABLE -> stored.markUsed(now);
        }
        User user = users.find(stored.getUserId())
                .orElseThrow(() -> new RunnerException.Unauthorized("The user no longer exists"));
        return issue(user, stored.getFamilyId(), now);
    }

    private LoggedIn issue(User user, UUID familyId, Instant now) {
        return new LoggedIn(
                user.getId(),
                user.getUsername(),
                accessTokens.issue(user.getId(), user.getUsername(), now),
                refreshTokens.issue(user.getId(), familyId, now));
    }
}
