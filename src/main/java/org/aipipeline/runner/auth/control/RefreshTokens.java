package org.aipipeline.runner.auth.control;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.auth.entity.RefreshToken;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Issues, finds and revokes refresh tokens; only their SHA-256 is stored. */
@Stateless
public class RefreshTokens {

    public record Issued(String token, Instant expiresAt) {}

    @PersistenceContext
    EntityManager em;

    @Inject
    @ConfigProperty(name = "auth.refresh-token.lifetime", defaultValue = "P30D")
    Duration lifetime;

    public Issued issue(UUID userId, UUID familyId, Instant now) {
        String token = Secrets.newSecret("rt_");
        Instant expiresAt = now.plus(lifetime);
        em.persist(new RefreshToken(userId, familyId, Secrets.hash(token), expiresAt, now));
        return new Issued(token, expiresAt);
    }

    public Optional<RefreshToken> find(String token) {
        return em.createNamedQuery(RefreshToken.BY_HASH, RefreshToken.class)
                .setParameter("hash", Secrets.hash(token))
                .getResultStream()
                .findFirst();
    }

    /**
     * In its own transaction: the caller rejects the refresh with 401 (which rolls back its own
     * transaction), yet the revocation must stick.
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
    public void revokeFamily(UUID familyId, Instant now) {
        em.createNamedQuery(RefreshToken.REVOKE_FAMILY)
                .setParameter("familyId", familyId)
                .setParameter("now", now)
                .executeUpdate();
    }
}
