package org.aipipeline.runner.auth.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.auth.entity.RefreshToken.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RefreshTokenTest {

    private static final Instant CREATED = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant EXPIRES = CREATED.plus(Duration.ofDays(30));

    /**
     * used / revoked: whether the token was already presented / its family revoked; at: the time
     * of asking relative to expiry (in ms). Reuse outranks revocation, and both outrank expiry.
     */
    @ParameterizedTest(name = "used={0} revoked={1} at expiry{2}ms -> {3}")
    @CsvSource({
        "false, false, -2592000000, USABLE",
        "false, false,          -1, USABLE",
        "false, false,           0, EXPIRED",
        "false, false,           1, EXPIRED",
        "false, false,  2592000000, EXPIRED",
        "true,  false,          -1, REUSED",
        "true,  false,           0, REUSED",
        "true,  false,  2592000000, REUSED",
        "false, true,           -1, REVOKED",
        "false, true,            0, REVOKED",
        "false, true,   2592000000, REVOKED",
        "true,  true,           -1, REUSED",
        "true,  true,   2592000000, REUSED",
    })
    void verdict(boolean used, boolean revoked, long millisFromExpiry, Verdict expected) {
        RefreshToken token = new RefreshToken(UUID.randomUUID(), UUID.randomUUID(), "hash", EXPIRES, CREATED);
        Instant now = EXPIRES.plusMillis(millisFromExpiry);
        if (used) {
            token.markUsed(CREATED.plusSeconds(60));
        }
        if (revoked) {
            revoke(token, CREATED.plusSeconds(120));
        }
        assertEquals(expected, token.verdictAt(now));
    }

    @Test
    void aTokenIsUsableOnlyUntilItIsPresented() {
        RefreshToken token = new RefreshToken(UUID.randomUUID(), UUID.randomUUID(), "hash", EXPIRES, CREATED);
        assertEquals(Verdict.USABLE, token.verdictAt(CREATED));
        token.markUsed(CREATED);
        assertEquals(Verdict.REUSED, token.verdictAt(CREATED));
    }

    @Test
    void aNewTokenKeepsItsUserFamilyAndExpiry() {
        UUID user = UUID.randomUUID();
        UUID family = UUID.randomUUID();
        RefreshToken token = new RefreshToken(user, family, "hash", EXPIRES, CREATED);
        assertEquals(user, token.getUserId());
        assertEquals(family, token.getFamilyId());
        assertEquals(EXPIRES, token.getExpiresAt());
    }

    /** Revocation happens only through the REVOKE_FAMILY bulk update; set the column as it would. */
    private static void revoke(RefreshToken token, Instant at) {
        try {
            Field revokedAt = RefreshToken.class.getDeclaredField("revokedAt");
            revokedAt.setAccessible(true);
            revokedAt.set(token, at);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("RefreshToken no longer has the revokedAt column field", e);
        }
    }
}
