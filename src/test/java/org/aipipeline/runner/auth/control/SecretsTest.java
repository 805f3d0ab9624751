package org.aipipeline.runner.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SecretsTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "rt_", "ak_"})
    void aSecretIsThePrefixFollowedBy256RandomBitsInUrlSafeBase64(String prefix) {
        String secret = Secrets.newSecret(prefix);

        assertTrue(secret.startsWith(prefix), secret);
        String random = secret.substring(prefix.length());
        assertEquals(43, random.length(), random);
        assertTrue(random.matches("[A-Za-z0-9_-]{43}"), "URL-safe, unpadded: " + random);
        assertEquals(32, Base64.getUrlDecoder().decode(random).length);
    }

    @Test
    void secretsDoNotRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertTrue(seen.add(Secrets.newSecret("")), "repeated after " + i);
        }
    }

    @Test
    void secretsUseTheWholeAlphabet() {
        Set<Character> used = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            Secrets.newSecret("").chars().forEach(c -> used.add((char) c));
        }
        assertEquals(64, used.size(), "all 64 URL-safe Base64 characters appear: " + used);
    }

    @ParameterizedTest
    @CsvSource({
        "abc, ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "'', e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq, 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        "é, 4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c",
    })
    void theStoredFormIsTheLowerCaseHexSha256OfTheUtf8Secret(String secret, String expected) {
        assertEquals(expected, Secrets.hash(secret));
    }

    @Test
    void theStoredFormOfAFreshSecretIs64HexDigitsAndNotTheSecret() {
        String secret = Secrets.newSecret("rt_");
        String stored = Secrets.hash(secret);
        assertTrue(stored.matches("[0-9a-f]{64}"), stored);
        assertEquals(stored, Secrets.hash(secret), "deterministic, so it can be looked up");
        assertNotEquals(stored, Secrets.hash(secret + "x"));
    }
}
