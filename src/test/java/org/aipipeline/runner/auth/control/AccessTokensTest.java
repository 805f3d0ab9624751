package org.aipipeline.runner.auth.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class AccessTokensTest {

    private static final String ISSUER = "aipipeline-orchestration-runner";
    private static final String AUDIENCE = "aipipeline";
    private static final Duration LIFETIME = Duration.ofMinutes(15);
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private static final UUID USER = UUID.fromString("0b7e6c1e-8d1c-4b9e-9a57-2f0d6c1a9e11");

    @TempDir
    static Path dataDir;

    @TempDir
    static Path strangerDir;

    private static SigningKeys keys;
    private static SigningKeys strangerKeys;
    private static AccessTokens tokens;

    @BeforeAll
    static void keys() {
        keys = SigningKeys.load("", "", dataDir);
        strangerKeys = SigningKeys.load("", "", strangerDir);
        tokens = new AccessTokens(ISSUER, AUDIENCE, LIFETIME, keys);
    }

    @Test
    void anIssuedTokenCarriesTheClaimsMicroProfileJwtVerifies() throws Exception {
        AccessTokens.Issued issued = tokens.issue(USER, "alice", NOW);

        SignedJWT jwt = SignedJWT.parse(issued.token());
        assertTrue(jwt.verify(new RSASSAVerifier(keys.publicKey())), "signed with the runner's key");
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals(ISSUER, claims.getIssuer());
        assertEquals(List.of(AUDIENCE), claims.getAudience());
        assertEquals(USER.toString(), claims.getSubject());
        assertEquals(USER.toString(), claims.getStringClaim("upn"));
        assertEquals("alice", claims.getStringClaim("preferred_username"));
        assertEquals(List.of("user"), claims.getStringListClaim("groups"));
        assertEquals(NOW, claims.getIssueTime().toInstant());
        assertEquals(NOW.plus(LIFETIME), claims.getExpirationTime().toInstant());
        assertNotNull(UUID.fromString(claims.getJWTID()), "jti is a UUID");
        assertEquals(NOW.plus(LIFETIME), issued.expiresAt());
    }

    @Test
    void theLifetimeIsConfigurable() throws Exception {
        AccessTokens hourly = new AccessTokens(ISSUER, AUDIENCE, Duration.ofHours(1), keys);
        AccessTokens.Issued issued = hourly.issue(USER, "alice", NOW);

        assertEquals(Instant.parse("2026-03-01T11:00:00Z"), issued.expiresAt());
        assertEquals(
                issued.expiresAt(),
                SignedJWT.parse(issued.token())
                        .getJWTClaimsSet()
                        .getExpirationTime()
                        .toInstant());
    }

    @Test
    void everyTokenHasItsOwnId() throws Exception {
        String first = tokens.issue(USER, "alice", NOW).token();
        String second = tokens.issue(USER, "alice", NOW).token();

        assertNotEquals(
                SignedJWT.parse(first).getJWTClaimsSet().getJWTID(),
                SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
    }

    @Test
    void theSubjectOfOneOfOurTokensIsItsUser() {
        assertEquals(
                Optional.of(USER),
                tokens.subjectOf(tokens.issue(USER, "alice", Instant.now()).token()));
    }

    @Test
    void anExpiredTokenStillNamesItsSubjectForARefresh() {
        String expired = tokens.issue(USER, "alice", Instant.now().minus(Duration.ofDays(30)))
                .token();
        assertEquals(Optional.of(USER), tokens.subjectOf(expired));
    }

    @Test
    void aTokenSignedWithAnotherKeyHasNoSubject() {
        AccessTokens stranger = new AccessTokens(ISSUER, AUDIENCE, LIFETIME, strangerKeys);
        assertEquals(
                Optional.empty(),
                tokens.subjectOf(stranger.issue(USER, "alice", NOW).token()));
    }

    @Test
    void aTokenOfAnotherIssuerHasNoSubjectEvenWithOurKey() {
        AccessTokens otherIssuer = new AccessTokens("someone-else", AUDIENCE, LIFETIME, keys);
        assertEquals(
                Optional.empty(),
                tokens.subjectOf(otherIssuer.issue(USER, "alice", NOW).token()));
    }

    static Stream<Arguments> tamperings() {
        UUID other = UUID.fromString("11111111-2222-4333-8444-555555555555");
        return Stream.of(
                Arguments.of("payload with another subject", (UnaryOperator<String>) token -> {
                    String[] parts = token.split("\\.");
                    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                            .replace(USER.toString(), other.toString());
                    return parts[0] + "." + b64(payload) + "." + parts[2];
                }),
                Arguments.of("flipped signature bit", (UnaryOperator<String>) token -> {
                    String[] parts = token.split("\\.");
                    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
                    signature[signature.length / 2] ^= 1;
                    return parts[0] + "." + parts[1] + "."
                            + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
                }),
                Arguments.of("signature removed", (UnaryOperator<String>)
                        token -> token.substring(0, token.lastIndexOf('.') + 1)),
                Arguments.of("header switched to alg none", (UnaryOperator<String>) token -> {
                    String[] parts = token.split("\\.");
                    return b64("{\"alg\":\"none\"}") + "." + parts[1] + ".";
                }),
                Arguments.of("truncated", (UnaryOperator<String>) token -> token.substring(0, token.length() - 10)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperings")
    void aTamperedTokenHasNoSubject(String tampering, UnaryOperator<String> tamper) {
        String token = tokens.issue(USER, "alice", NOW).token();
        assertEquals(Optional.of(USER), tokens.subjectOf(token), "untampered control");
        assertEquals(Optional.empty(), tokens.subjectOf(tamper.apply(token)), tampering);
    }

    @Test
    void anUnsignedTokenHasNoSubject() {
        String plain = new PlainJWT(claims(USER.toString()).build()).serialize();
        assertEquals(Optional.empty(), tokens.subjectOf(plain));
    }

    @Test
    void anHmacTokenHasNoSubjectEvenIfKeyedWithOurPublicKey() throws Exception {
        // the classic RS256 -> HS256 confusion: the public key is no secret
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256), claims(USER.toString()).build());
        jwt.sign(new MACSigner(keys.publicKey().getEncoded()));
        assertEquals(Optional.empty(), tokens.subjectOf(jwt.serialize()));
    }

    @Test
    void ourSignatureOnASubjectThatIsNoUuidGivesNoSubject() throws Exception {
        assertEquals(Optional.empty(), tokens.subjectOf(signedWithOurKey(claims("alice"))));
        assertEquals(Optional.empty(), tokens.subjectOf(signedWithOurKey(claims(null))));
        assertEquals(Optional.of(USER), tokens.subjectOf(signedWithOurKey(claims(USER.toString()))), "control");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"not-a-jwt", "a.b.c", "...", "Bearer x.y.z"})
    void garbageHasNoSubject(String garbage) {
        assertEquals(Optional.empty(), tokens.subjectOf(garbage));
    }

    private static JWTClaimsSet.Builder claims(String subject) {
        return new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .issueTime(Date.from(NOW))
                .expirationTime(Date.from(NOW.plus(LIFETIME)))
                .claim("groups", List.of("user"));
    }

    private static String signedWithOurKey(JWTClaimsSet.Builder claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
        jwt.sign(new RSASSASigner(keys.privateKey()));
        return jwt.serialize();
    }

    private static String b64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
