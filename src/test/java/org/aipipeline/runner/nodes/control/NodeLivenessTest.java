package org.aipipeline.runner.nodes.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeLivenessTest {

    private static final Instant NOW = Instant.parse("2025-08-24T16:08:00Z");
    private final NodeLiveness liveness = new NodeLiveness(Duration.ofMinutes(3));

    @ParameterizedTest(name = "advertised {0} ago: available {1}")
    @CsvSource({
        "PT0S, true",
        "PT1M, true",
        "PT2M59.999999S, true",
        "PT3M, true",
        "PT3M0.000001S, false",
        "PT1H, false",
        "-PT5S, true"
    })
    void availableWithinTheTimeoutInclusive(Duration age, boolean available) {
        assertEquals(available, liveness.isAvailable(NOW.minus(age), NOW));
    }

    @Test
    void timeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new NodeLiveness(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new NodeLiveness(Duration.ofSeconds(-1)));
    }
}
