package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;
import org.junit.jupiter.api.Test;

class IdempotentRequestTest {

    private static final UUID USER = UUID.randomUUID();

    @Test
    void noKeyIsNoRequest() {
        assertNull(IdempotentRequest.of(null, USER, "/Pipelines", "body"));
    }

    @Test
    void keysAreOneTo255PrintableAsciiCharacters() {
        assertEquals(
                "k".repeat(255),
                IdempotentRequest.of("k".repeat(255), USER, "/Pipelines", "b").key());
        assertEquals(
                "a b~!", IdempotentRequest.of("a b~!", USER, "/Pipelines", "b").key());
        for (String bad : new String[] {"", "k".repeat(256), "tab\t", "caf\u00e9", "new\nline", "del\u007f"}) {
            RunnerException.BadInput e = assertThrows(
                    RunnerException.BadInput.class, () -> IdempotentRequest.of(bad, USER, "/Pipelines", "b"), bad);
            assertTrue(e.getMessage().startsWith("Idempotency-Key must be 1..255 printable ASCII"), e.getMessage());
        }
    }

    @Test
    void theFingerprintDependsOnBodyAndEndpoint() {
        String same = IdempotentRequest.of("k", USER, "/Pipelines", "body").fingerprint();
        assertEquals(
                same,
                IdempotentRequest.of("other", UUID.randomUUID(), "/Pipelines", "body")
                        .fingerprint());
        assertNotEquals(
                same, IdempotentRequest.of("k", USER, "/Pipelines", "body2").fingerprint());
        assertNotEquals(
                same,
                IdempotentRequest.of("k", USER, "/Pipelines/Batch", "body").fingerprint());
        assertEquals(64, same.length());
    }
}
