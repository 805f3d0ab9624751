package org.aipipeline.runner.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.events.control.StreamTokens.Kind;
import org.junit.jupiter.api.Test;

class StreamTokensTest {

    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
    private static final UUID RUN = UUID.randomUUID();
    private static final UUID USER = UUID.randomUUID();
    private final StreamTokens tokens = StreamTokens.of("secret".getBytes(StandardCharsets.UTF_8));

    @Test
    void aTokenOpensItsStreamForItsUserUntilItExpires() {
        StreamTokens.Issued issued = tokens.issue(Kind.run, RUN, USER, NOW);
        assertEquals(NOW.plusSeconds(60), issued.expiresAt());
        assertTrue(issued.token().startsWith("evt1."));
        assertEquals(Optional.of(USER), tokens.userFor(issued.token(), Kind.run, RUN, NOW));
        assertEquals(Optional.of(USER), tokens.userFor(issued.token(), Kind.run, RUN, NOW.plusSeconds(59)));
        assertEquals(Optional.empty(), tokens.userFor(issued.token(), Kind.run, RUN, NOW.plusSeconds(60)));
    }

    @Test
    void aTokenOpensNoOtherRunAndNoBatchOfTheSameId() {
        String token = tokens.issue(Kind.run, RUN, USER, NOW).token();
        assertEquals(Optional.empty(), tokens.userFor(token, Kind.run, UUID.randomUUID(), NOW));
        assertEquals(Optional.empty(), tokens.userFor(token, Kind.batch, RUN, NOW));
    }

    @Test
    void anotherKeysTokenIsRefused() {
        String token = StreamTokens.of("other".getBytes(StandardCharsets.UTF_8))
                .issue(Kind.run, RUN, USER, NOW)
                .token();
        assertEquals(Optional.empty(), tokens.userFor(token, Kind.run, RUN, NOW));
    }

    @Test
    void anAlteredPayloadIsRefused() {
        String token = tokens.issue(Kind.run, RUN, USER, NOW).token();
        String[] parts = token.split("\\.");
        String forged = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("run:" + RUN + ":" + UUID.randomUUID() + ":"
                                + NOW.plusSeconds(3600).getEpochSecond())
                        .getBytes(StandardCharsets.US_ASCII));
        assertEquals(Optional.empty(), tokens.userFor(parts[0] + "." + forged + "." + parts[2], Kind.run, RUN, NOW));
    }

    @Test
    void anythingElseIsNotAToken() {
        for (String other : new String[] {
            null,
            "",
            "evt1.",
            "evt1.abc",
            "evt1.a.b",
            "evt1.!!!.???",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln",
            "rk_0123456789"
        }) {
            assertEquals(Optional.empty(), tokens.userFor(other, Kind.run, RUN, NOW), String.valueOf(other));
        }
    }
}
