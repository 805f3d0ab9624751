package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void withoutCodesEvery5xxIsRetriedUntilTheLastAttempt() {
        RetryPolicy policy = new RetryPolicy(3, 1, List.of());

        assertTrue(policy.retries(1, 500));
        assertTrue(policy.retries(2, 504), "a missed deadline is a 504");
        assertFalse(policy.retries(3, 500), "attempt 3 of 3 was the last");
        assertFalse(policy.retries(1, 499), "a cancelled or client-side failure is final");
        assertFalse(policy.retries(1, 404));
        assertFalse(policy.retries(1, 600));
    }

    @Test
    void listedCodesAreTheOnlyOnesRetried() {
        RetryPolicy policy = new RetryPolicy(5, 1, List.of(503, 429));

        assertTrue(policy.retries(1, 429));
        assertTrue(policy.retries(4, 503));
        assertFalse(policy.retries(1, 500));
        assertFalse(policy.retries(1, 504), "deadlines are retried only when 504 is listed");
    }

    @Test
    void theWaitDoublesAfterEachFailedAttemptAndNeverExceedsADay() {
        RetryPolicy policy = new RetryPolicy(10, 1.5, List.of());

        assertEquals(Duration.ofMillis(1500), policy.waitAfter(1));
        assertEquals(Duration.ofMillis(3000), policy.waitAfter(2));
        assertEquals(Duration.ofMillis(6000), policy.waitAfter(3));
        assertEquals(Duration.ZERO, new RetryPolicy(3, 0, List.of()).waitAfter(2));
        assertEquals(Duration.ofDays(1), new RetryPolicy(10, 3600, List.of()).waitAfter(9));
    }

    @Test
    void aMaximumOutsideOneToTenOrABackoffOutsideAnHourIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(0, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(11, 1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, -0.1, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, Double.NaN, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, 3600.5, List.of()));
    }
}
