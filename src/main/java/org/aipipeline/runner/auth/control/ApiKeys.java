package org.aipipeline.runner.auth.control;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.entity.ApiKey;

/** API keys: created once and shown once, stored as SHA-256, checked on every request. */
@Stateless
public class ApiKeys {

    public record Created(String name, String key, Instant validUntil) {}

    @PersistenceContext
    EntityManager em;

    public Created create(UUID userId, String name, Instant validUntil) {
        Instant now = DatabaseTime.now();
        if (validUntil != null && !validUntil.isAfter(now)) {
            throw new RunnerException.Invalid("validUntil", "must be in the future");
        }
        if (find(userId, name).isPresent()) {
            throw new RunnerException.Conflict("You already have an API key named '" + name + "'");
        }
        String key = Secrets.newSecret("apk_");
        em.persist(new ApiKey(userId, name, Secrets.hash(key), validUntil, now));
        em.flush();
        return new Created(name, key, validUntil);
    }

    public void delete(UUID userId, String name) {
        ApiKey key = find(userId, name)
                .orElseThrow(() -> new RunnerException.NotFound("You have no API key named '" + name + "'"));
        em.remove(key);
    }

    /** The owner of a valid key; deleted and expired keys fail at once. */
    public Optional<UUID> ownerOf(String key, Instant now) {
        return em.createNamedQuery(ApiKey.BY_HASH, ApiKey.class)
                .setParameter("hash", Secrets.hash(key))
                .getResultStream()
                .filter(k -> k.isValidAt(now))
                .map(ApiKey::getUserId)
                .findFirst();
    }

    private Optional<ApiKey> find(UUID userId, String name) {
        return em.createNamedQuery(ApiKey.BY_OWNER_AND_NAME, ApiKey.class)
                .setParameter("userId", userId)
                .setParameter("name", name)
                .getResultStream()
                .findFirst();
    }
}
