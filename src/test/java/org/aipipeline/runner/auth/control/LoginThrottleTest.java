package org.aipipeline.runner.auth.control;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.aipipeline.runner.platform.control.RunnerException.TooManyRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoginThrottleTest {

    private static final int MAX_FAILURES = 5;
    private static final Duration LOCKOUT = Duration.ofMinutes(5);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(MAX_FAILURES, LOCKOUT, clock);

    @Test
    void failuresBelowTheLimitStillAllowALogin() {
        fail("alice", MAX_FAILURES - 1);
        assertDoesNotThrow(() -> throttle.checkAllowed("alice"));
    }

    @Test
    void reachingTheLimitLocksTheUsernameOutFor429WithRetryAfter() {
        fail("alice", MAX_FAILURES);

        TooManyRequests e = assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"));
        assertEquals(429, e.status());
        assertEquals(300, e.retryAfterSeconds());
        assertEquals("Too many failed logins for this username; try again in 300 s", e.getMessage());
    }

    @ParameterizedTest(name = "{0} s into the lockout -> retry after {1} s")
    @CsvSource({
        "0,       300",
        "1,       299",
        "120,     180",
        "299,     1",
        "299.5,   1",
        "299.999, 1",
    })
    void retryAfterCountsDownAndNeverReachesZeroWhileLocked(double secondsLater, long retryAfter) {
        fail("alice", MAX_FAILURES);
        clock.advance(Duration.ofMillis((long) (secondsLater * 1000)));

        assertEquals(
                retryAfter,
                assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"))
                        .retryAfterSeconds());
    }

    @Test
    void theLockoutEndsAfterTheConfiguredTime() {
        fail("alice", MAX_FAILURES);
        clock.advance(LOCKOUT);
        assertDoesNotThrow(() -> throttle.checkAllowed("alice"));
    }

    @Test
    void afterALockoutEndsCountingStartsAfresh() {
        fail("alice", MAX_FAILURES);
        clock.advance(LOCKOUT);

        fail("alice", MAX_FAILURES - 1);
        assertDoesNotThrow(() -> throttle.checkAllowed("alice"));
        fail("alice", 1);
        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"));
    }

    @Test
    void aSuccessfulLoginResetsTheCount() {
        fail("alice", MAX_FAILURES - 1);
        throttle.succeeded("alice");
        fail("alice", MAX_FAILURES - 1);
        assertDoesNotThrow(() -> throttle.checkAllowed("alice"));
    }

    @Test
    void failuresCountUntilASuccessHoweverFarApart() {
        // consecutive failures, not failures within a window: spacing them out does not help a guesser
        for (int i = 0; i < MAX_FAILURES; i++) {
            throttle.failed("alice");
            clock.advance(Duration.ofHours(1));
        }
        clock.advance(Duration.ofHours(-1));
        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"));
    }

    @Test
    void usernamesAreThrottledIndependently() {
        fail("alice", MAX_FAILURES);
        fail("bob", MAX_FAILURES - 1);

        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"));
        assertDoesNotThrow(() -> throttle.checkAllowed("bob"));
        assertDoesNotThrow(() -> throttle.checkAllowed("carol"));
        throttle.succeeded("bob");
        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"), "bob's success is not alice's");
    }

    @Test
    void usernamesAreThrottledIgnoringCase() {
        throttle.failed("Alice");
        throttle.failed("ALICE");
        throttle.failed("alice");
        throttle.failed("aLiCe");
        throttle.failed("ALIce");

        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("alice"));
        assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("ALICE"));
        throttle.succeeded("ALICE");
        assertDoesNotThrow(() -> throttle.checkAllowed("Alice"));
    }

    @Test
    void caseFoldingDoesNotDependOnTheDefaultLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        java.util.Locale.setDefault(java.util.Locale.forLanguageTag("tr"));
        try {
            fail("TIM", MAX_FAILURES);
            assertThrows(TooManyRequests.class, () -> throttle.checkAllowed("tim"), "dotted i under a Turkish locale");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }

    @Test
    void aLimitOfOneLocksOutOnTheFirstFailure() {
        LoginThrottle strict = new LoginThrottle(1, Duration.ofSeconds(30), clock);
        strict.failed("alice");
        assertEquals(
                30,
                assertThrows(TooManyRequests.class, () -> strict.checkAllowed("alice"))
                        .retryAfterSeconds());
    }

    private void fail(String username, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(username);
        }
    }

    /** A real clock whose time the test moves by hand. */
    private static final class SettableClock extends Clock {
        private Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }
}
