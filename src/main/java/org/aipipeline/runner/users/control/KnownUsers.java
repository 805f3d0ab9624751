package org.aipipeline.runner.users.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.aipipeline.runner.platform.control.TimedCache;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * "Does this user still exist?", asked by every authenticated request, answered from memory.
 * A user seen to exist is trusted for {@code users.existence-cache.ttl}; deleting a user on this
 * instance forgets it at once, so its tokens and keys stop working immediately here and within
 * the ttl on other runner instances. Absent users are not cached: a token of a user that does
 * not exist is rare and always checked against the database.
 */
@ApplicationScoped
public class KnownUsers {

    @Inject
    Users users;

    @Inject
    @ConfigProperty(name = "users.existence-cache.ttl", defaultValue = "PT5S")
    Duration ttl;

    private TimedCache<UUID, Boolean> existing;

    @PostConstruct
    void init() {
        existing = new TimedCache<>(ttl, 100_000);
    }

    public boolean exists(UUID userId) {
        if (existing.get(userId) != null) {
            return true;
        }
        boolean found = users.find(userId).isPresent();
        if (found) {
            existing.put(userId, Boolean.TRUE);
        }
        return found;
    }

    /** Forgotten as soon as the deletion starts, and again after its commit (a concurrent read may have re-added it). */
    void deleting(@Observes UserDeleted deleted) {
        existing.invalidate(deleted.userId());
    }

    void deleted(@Observes(during = TransactionPhase.AFTER_COMPLETION) UserDeleted deleted) {
        existing.invalidate(deleted.userId());
    }
}
