package org.aipipeline.runner.auth.control;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Issues RS256 access tokens in the shape MicroProfile JWT verifies (iss, aud, sub, upn, groups,
 * iat, exp, jti). Requests are authenticated by the MP-JWT verifier, not here; this class only
 * re-checks a token's signature when it is presented for a refresh, where expiry does not matter.
 */
@ApplicationScoped
public class AccessTokens {

    public record Issued(String token, Instant expiresAt) {}

    private String issuer;
    private String audience;
    private Duration lifetime;
    private SigningKeys keys;

    protected AccessTokens() {}

    @Inject
    public AccessTokens(
            @ConfigProperty(name = "jwt.issuer") String issuer,
            @ConfigProperty(name = "jwt.audience") String audience,
            @ConfigProperty(name = "jwt.access-token.lifetime", defaultValue = "PT15M") Duration lifetime) {
        this(issuer, audience, lifetime, SigningKeys.current());
    }

    AccessTokens(String issuer, String audience, Duration lifetime, SigningKeys keys) {
        this.issuer = issuer;
        this.audience = audience;
        this.lifetime = lifetime;
        this.keys = keys;
    }

    public Issued issue(UUID userId, String username, Instant now) {
        Instant expiresAt = now.plus(lifetime);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience)
                .subject(userId.toString())
                .claim("upn", userId.toString())
                .claim("preferred_username", username)
                .claim("groups", List.of("user"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256)
                        .type(JOSEObjectType.JWT)
                        .build(),
                claims);
        try {
            jwt.sign(new RSASSASigner(keys.privateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign an access token", e);
        }
        return new Issued(jwt.serialize(), expiresAt);
    }

    /**
     * The user a token was issued to, if it is one of ours (RS256, our signature, our issuer),
     * expired or not.
     */
    public Optional<UUID> subjectOf(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new RSASSAVerifier(keys.publicKey()))
                    || !issuer.equals(jwt.getJWTClaimsSet().getIssuer())) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(jwt.getJWTClaimsSet().getSubject()));
        } catch (ParseException | JOSEException | IllegalArgumentException | NullPointerException e) {
            return Optional.empty();
        }
    }
}
