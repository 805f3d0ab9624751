package org.aipipeline.runner.users.control;

import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.users.entity.ApiKey;
import org.aipipeline.runner.users.entity.User;

/**
 * Accounts: registration, lookup, change and deletion. A user may change or delete only
 * themself; deletion fires {@link UserDeleted} in the same transaction so every area removes
 * what the user owns, all or nothing.
 */
@Stateless
public class Users {

    @PersistenceContext
    EntityManager em;

    @Inject
    PasswordHasher hasher;

    @Inject
    Event<UserDeleted> userDeleted;

    public User register(UUID requestedId, String username, String password) {
        UUID id = requestedId != null ? requestedId : UUID.randomUUID();
        if (em.find(User.class, id) != null) {
            throw new RunnerException.Conflict("A user with id " + id + " already exists");
        }
        requireFreeName(username);
        User user = new User(id, username, hasher.hash(password), DatabaseTime.now());
        em.persist(user);
        em.flush();
        return user;
    }

    public Optional<User> find(UUID id) {
        return Optional.ofNullable(em.find(User.class, id));
    }

    public User get(UUID id) {
        return find(id).orElseThrow(() -> new RunnerException.NotFound("No user with id " + id));
    }

    public Optional<User> findByUsername(String username) {
        return em.createNamedQuery(User.BY_USERNAME, User.class)
                .setParameter("key", User.keyOf(username))
                .getResultStream()
                .findFirst();
    }

    public List<ApiKey> apiKeysOf(UUID userId) {
        return em.createNamedQuery(ApiKey.BY_OWNER, ApiKey.class)
                .setParameter("userId", userId)
                .getResultList();
    }

    public User update(UUID callerId, UUID id, String newUsername, String newPassword) {
        User user = ownedBy(callerId, id, "change");
        Instant now = DatabaseTime.now();
        if (newUsername != null && !newUsername.equals(user.getUsername())) {
            if (!User.keyOf(newUsername).equals(User.keyOf(user.getUsername()))) {
                requireFreeName(newUsername);
            }
            user.rename(newUsername, now);
        }
        if (newPassword != null) {
            user.changePassword(hasher.hash(newPassword), now);
        }
        em.flush();
        return user;
    }

    public void delete(UUID callerId, UUID id) {
        User user = ownedBy(callerId, id, "delete");
        userDeleted.fire(new UserDeleted(id));
        em.remove(user);
        em.flush();
    }

    /** Another user's account exists but is not yours to change: 403; no such account: 404. */
    private User ownedBy(UUID callerId, UUID id, String action) {
        User user = get(id);
        if (!user.getId().equals(callerId)) {
            throw new RunnerException.Forbidden("You may only " + action + " your own account");
        }
        return user;
    }

    private void requireFreeName(String username) {
        if (findByUsername(username).isPresent()) {
            throw new RunnerException.Conflict("The username '" + username + "' is already taken");
        }
    }
}
