package org.aipipeline.runner.users.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordHasherTest {

    /** The smallest count the constructor accepts keeps the suite fast; the algorithm is the same. */
    private static final int FAST = 1000;

    private final PasswordHasher hasher = new PasswordHasher(FAST);

    @Test
    void aHashVerifiesTheSamePassword() {
        String stored = hasher.hash("correct horse battery");
        assertTrue(hasher.verify("correct horse battery", stored));
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse batterY", "correct horse battery ", "", "correct horse"})
    void aHashRejectsAnyOtherPassword(String other) {
        String stored = hasher.hash("correct horse battery");
        assertFalse(hasher.verify(other, stored), other);
    }

    @Test
    void nonAsciiPasswordsRoundTrip() {
        String stored = hasher.hash("pässwörd-密码-🔑");
        assertTrue(hasher.verify("pässwörd-密码-🔑", stored));
        assertFalse(hasher.verify("passwort-密码-🔑", stored));
    }

    @Test
    void twoHashesOfTheSamePasswordDifferBecauseOfTheirSalt() {
        String first = hasher.hash("same password");
        String second = hasher.hash("same password");
        assertNotEquals(first, second);
        assertNotEquals(first.split(":")[2], second.split(":")[2], "salts");
        assertTrue(hasher.verify("same password", first));
        assertTrue(hasher.verify("same password", second));
    }

    @Test
    void storedFormIsAlgorithmIterationsSaltAndHashInBase64() {
        Matcher m = Pattern.compile("PBKDF2WithHmacSHA256:(\\d+):([A-Za-z0-9+/=]+):([A-Za-z0-9+/=]+)")
                .matcher(new PasswordHasher(4321).hash("some password"));
        assertTrue(m.matches(), "Jakarta Security Pbkdf2PasswordHash format");
        assertEquals("4321", m.group(1));
        assertEquals(16, Base64.getDecoder().decode(m.group(2)).length, "salt bytes");
        assertEquals(32, Base64.getDecoder().decode(m.group(3)).length, "hash bytes");
    }

    @Test
    void aHashMadeWithAnotherIterationCountStillVerifies() {
        String old = new PasswordHasher(1000).hash("long-lived password");
        PasswordHasher raised = new PasswordHasher(2000);
        assertTrue(raised.verify("long-lived password", old));
        assertFalse(raised.verify("other password", old));
        assertTrue(raised.hash("long-lived password").startsWith("PBKDF2WithHmacSHA256:2000:"));
    }

    @Test
    void verifiesAHashProducedByAnotherPbkdf2Implementation() {
        // RFC 7914 section 11: PBKDF2-HMAC-SHA256(P="passwd", S="salt", c=1), first 32 bytes
        byte[] expected = HexFormat.of().parseHex("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        Base64.Encoder b64 = Base64.getEncoder();
        String stored =
                "PBKDF2WithHmacSHA256:1:" + b64.encodeToString("salt".getBytes()) + ":" + b64.encodeToString(expected);
        assertTrue(hasher.verify("passwd", stored));
        assertFalse(hasher.verify("passwe", stored));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "not a hash",
                "PBKDF2WithHmacSHA256",
                "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0c2FsdA==",
                "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0c2FsdA==:",
                "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==:extra",
                "PBKDF2WithHmacSHA1:1000:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "pbkdf2withhmacsha256:1000:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "PBKDF2WithHmacSHA256:many:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "PBKDF2WithHmacSHA256:99999999999:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "PBKDF2WithHmacSHA256:0:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "PBKDF2WithHmacSHA256:-5:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "PBKDF2WithHmacSHA256:1000:not*base64:aGFzaA==",
                "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0c2FsdA==:not*base64",
                "PBKDF2WithHmacSHA256:1000::aGFzaA==",
                "PBKDF2WithHmacSHA256:1000:c2FsdHNhbHRzYWx0c2FsdA==:aGFzaA==",
                "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
            })
    void malformedOrForeignStoredHashesAreRejectedWithoutAnException(String stored) {
        assertFalse(hasher.verify("password", stored), stored);
    }

    @Test
    void aHashIsNotAcceptedAsItsOwnPassword() {
        String stored = hasher.hash("password");
        assertFalse(hasher.verify(stored, stored));
    }

    @ParameterizedTest
    @ValueSource(ints = {999, 1, 0, -1})
    void refusesAnIterationCountBelowOneThousand(int iterations) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(iterations));
        assertTrue(e.getMessage().contains("auth.password.iterations"), e.getMessage());
    }
}
