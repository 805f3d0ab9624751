package org.aipipeline.runner.auth.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * One refresh token of a login session (a family). Single use: presenting it marks it used and a
 * successor is issued in the same family; presenting a used one again means it leaked, and the
 * whole family is revoked.
 */
@Entity
@Table(name = "refresh_tokens")
@NamedQuery(name = RefreshToken.BY_HASH, query = "select t from RefreshToken t where t.tokenHash = :hash")
@NamedQuery(
        name = RefreshToken.REVOKE_FAMILY,
        query = "update RefreshToken t set t.revokedAt = :now where t.familyId = :familyId and t.revokedAt is null")
public class RefreshToken {

    public static final String BY_HASH = "RefreshToken.byHash";
    public static final String REVOKE_FAMILY = "RefreshToken.revokeFamily";

    public enum Verdict {
        USABLE,
        REUSED,
        REVOKED,
        EXPIRED
    }

    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(name = "family_id", nullable = false)
    private UUID familyId;

    @Column(name = "token_hash", nullable = false)
    private String tokenHash;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "used_at")
    private Instant usedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected RefreshToken() {}

    public RefreshToken(UUID userId, UUID familyId, String tokenHash, Instant expiresAt, Instant now) {
        this.id = UUID.randomUUID();
        this.userId = userId;
        this.familyId = familyId;
        this.tokenHash = tokenHash;
        this.expiresAt = expiresAt;
        this.createdAt = now;
    }

    /** Reuse is checked before revocation: a replayed token must revoke the family even if revoked already. */
    public Verdict verdictAt(Instant now) {
        if (usedAt != null) {
            return Verdict.REUSED;
        }
        if (revokedAt != null) {
            return Verdict.REVOKED;
        }
        if (!now.isBefore(expiresAt)) {
            return Verdict.EXPIRED;
        }
        return Verdict.USABLE;
    }

    public void markUsed(Instant now) {
        this.usedAt = now;
    }

    public UUID getUserId() {
        return userId;
    }

    public UUID getFamilyId() {
        return familyId;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }
}
