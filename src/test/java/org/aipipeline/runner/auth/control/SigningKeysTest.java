package org.aipipeline.runner.auth.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {

    @TempDir
    Path dataDir;

    @Test
    void theFirstStartGeneratesAKeyPairAsPemFilesUnderTheDataDirectory() throws Exception {
        SigningKeys keys = SigningKeys.load("", "", dataDir);

        String privatePem = Files.readString(dataDir.resolve("jwt/private.pem"), StandardCharsets.US_ASCII);
        String publicPem = Files.readString(dataDir.resolve("jwt/public.pem"), StandardCharsets.US_ASCII);
        assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n"), privatePem);
        assertTrue(privatePem.endsWith("-----END PRIVATE KEY-----\n"), privatePem);
        assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"), publicPem);
        assertEquals(publicPem, keys.publicKeyPem());
        assertEquals(2048, keys.publicKey().getModulus().bitLength());
        assertEquals(keys.publicKey().getModulus(), keys.privateKey().getModulus(), "one pair");
        assertTrue(signatureVerifies(keys), "the public key verifies what the private key signs");
        try (var files = Files.list(dataDir.resolve("jwt"))) {
            assertEquals(2, files.count(), "no temporary files left behind");
        }
    }

    @Test
    void theNextStartReloadsTheSamePairSoTokensSurviveARestart() throws Exception {
        SigningKeys first = SigningKeys.load("", "", dataDir);
        String before = Files.readString(dataDir.resolve("jwt/private.pem"));
        SigningKeys second = SigningKeys.load("", "", dataDir);

        assertEquals(before, Files.readString(dataDir.resolve("jwt/private.pem")), "not regenerated");
        assertArrayEquals(first.privateKey().getEncoded(), second.privateKey().getEncoded());
        assertArrayEquals(first.publicKey().getEncoded(), second.publicKey().getEncoded());

        UUID user = UUID.randomUUID();
        String token = tokens(first).issue(user, "alice", Instant.now()).token();
        assertEquals(Optional.of(user), tokens(second).subjectOf(token));
    }

    @Test
    void anotherDataDirectoryGetsAnotherPair(@TempDir Path otherDataDir) {
        SigningKeys first = SigningKeys.load("", "", dataDir);
        SigningKeys other = SigningKeys.load("", "", otherDataDir);

        assertFalse(first.publicKey().getModulus().equals(other.publicKey().getModulus()));
        String token =
                tokens(first).issue(UUID.randomUUID(), "alice", Instant.now()).token();
        assertEquals(Optional.empty(), tokens(other).subjectOf(token));
    }

    @Test
    void aHalfWrittenPairIsReplacedByAFreshOne() throws Exception {
        SigningKeys.load("", "", dataDir);
        Files.delete(dataDir.resolve("jwt/public.pem"));

        SigningKeys regenerated = SigningKeys.load("", "", dataDir);

        assertTrue(Files.exists(dataDir.resolve("jwt/public.pem")));
        assertTrue(signatureVerifies(regenerated), "private and public half match again");
    }

    @Test
    void configuredPemPathsWinAndNothingIsGenerated(@TempDir Path keyDir) throws Exception {
        SigningKeys generated = SigningKeys.load("", "", keyDir);
        Path privatePath = keyDir.resolve("jwt/private.pem");
        Path publicPath = keyDir.resolve("jwt/public.pem");

        SigningKeys configured = SigningKeys.load(privatePath.toString(), publicPath.toString(), dataDir);

        assertArrayEquals(
                generated.privateKey().getEncoded(), configured.privateKey().getEncoded());
        assertArrayEquals(
                generated.publicKey().getEncoded(), configured.publicKey().getEncoded());
        assertFalse(Files.exists(dataDir.resolve("jwt")), "nothing generated under the data directory");
    }

    @Test
    void configuredPemFilesMayBeWrappedDifferently(@TempDir Path keyDir) throws Exception {
        SigningKeys generated = SigningKeys.load("", "", keyDir);
        Path privatePath = keyDir.resolve("one-line-private.pem");
        Path publicPath = keyDir.resolve("crlf-public.pem");
        Files.writeString(
                privatePath, Files.readString(keyDir.resolve("jwt/private.pem")).replace("\n", ""));
        Files.writeString(
                publicPath, Files.readString(keyDir.resolve("jwt/public.pem")).replace("\n", "\r\n"));

        SigningKeys configured = SigningKeys.load(privatePath.toString(), publicPath.toString(), dataDir);

        assertArrayEquals(
                generated.privateKey().getEncoded(), configured.privateKey().getEncoded());
        assertArrayEquals(
                generated.publicKey().getEncoded(), configured.publicKey().getEncoded());
    }

    @Test
    void onlyOneConfiguredPathIsRefused(@TempDir Path keyDir) {
        SigningKeys.load("", "", keyDir);
        String privatePath = keyDir.resolve("jwt/private.pem").toString();
        String publicPath = keyDir.resolve("jwt/public.pem").toString();

        for (String[] half : new String[][] {{privatePath, ""}, {"", publicPath}, {privatePath, "  "}}) {
            IllegalStateException e =
                    assertThrows(IllegalStateException.class, () -> SigningKeys.load(half[0], half[1], dataDir));
            assertEquals("Configure both JWT_PRIVATE_KEY_PATH and JWT_PUBLIC_KEY_PATH, or neither", e.getMessage());
        }
        assertFalse(Files.exists(dataDir.resolve("jwt")));
    }

    @Test
    void aMissingConfiguredFileNamesThePath() {
        Path missing = dataDir.resolve("missing.pem");
        UncheckedIOException e = assertThrows(
                UncheckedIOException.class, () -> SigningKeys.load(missing.toString(), missing.toString(), dataDir));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void aPrivateKeyFileHoldingSomethingElseIsRefusedNamingTheFile(@TempDir Path keyDir) throws Exception {
        SigningKeys.load("", "", keyDir);
        // a public key's DER under the private key's label: well-formed PEM, wrong key
        Path wrong = keyDir.resolve("wrong-private.pem");
        Files.writeString(
                wrong, Files.readString(keyDir.resolve("jwt/public.pem")).replace("PUBLIC KEY", "PRIVATE KEY"));

        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> SigningKeys.load(
                        wrong.toString(), keyDir.resolve("jwt/public.pem").toString(), dataDir));
        assertEquals(wrong + " is not a PKCS#8 RSA private key in PEM form", e.getMessage());
    }

    // --- settings: system property first, then the environment variable derived from the key

    private static final String KEY = "runner.signing-keys-test.setting";

    @AfterEach
    void clearProperty() {
        System.clearProperty(KEY);
    }

    @Test
    void aSettingComesFromTheSystemProperty() {
        System.setProperty(KEY, "/from/property");
        assertEquals("/from/property", SigningKeys.setting(KEY, "fallback"));
    }

    @Test
    void aMissingOrBlankSettingFallsBack() {
        assertEquals("fallback", SigningKeys.setting(KEY, "fallback"));
        System.setProperty(KEY, "   ");
        assertEquals("fallback", SigningKeys.setting(KEY, "fallback"));
    }

    @Test
    void aSettingNotGivenAsPropertyIsReadFromTheUpperCaseEnvironmentVariable() {
        // PATH is set in every test environment; "path" is its property spelling
        assertEquals(System.getenv("PATH"), SigningKeys.setting("path", "fallback"));
        System.setProperty("path", "/from/property");
        try {
            assertEquals("/from/property", SigningKeys.setting("path", "fallback"));
        } finally {
            System.clearProperty("path");
        }
    }

    private static AccessTokens tokens(SigningKeys keys) {
        return new AccessTokens("aipipeline-orchestration-runner", "aipipeline", Duration.ofMinutes(15), keys);
    }

    private static boolean signatureVerifies(SigningKeys keys) throws Exception {
        byte[] data = "payload".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withRSA");
        signer.initSign(keys.privateKey());
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(keys.publicKey());
        verifier.update(data);
        return verifier.verify(signature);
    }
}
