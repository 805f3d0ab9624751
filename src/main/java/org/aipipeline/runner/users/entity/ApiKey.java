package org.aipipeline.runner.users.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * A service credential of a user. Only the SHA-256 of the key is stored: the key itself is
 * random and shown once. Lives beside {@link User} because a user's view lists their keys.
 */
@Entity
@Table(name = "api_keys")
@NamedQuery(name = ApiKey.BY_HASH, query = "select k from ApiKey k where k.keyHash = :hash")
@NamedQuery(
        name = ApiKey.BY_OWNER,
        query = "select k from ApiKey k where k.userId = :userId order by k.createdAt, k.name")
@NamedQuery(
        name = ApiKey.BY_OWNER_AND_NAME,
        query = "select k from ApiKey k where k.userId = :userId and k.name = :name")
public class ApiKey {

    public static final String BY_HASH = "ApiKey.byHash";
    public static final String BY_OWNER = "ApiKey.byOwner";
    public static final String BY_OWNER_AND_NAME = "ApiKey.byOwnerAndName";

    @Id
    private UUID id;

    @Column(name = "user_id", nullable = false)
    private UUID userId;

    @Column(nullable = false)
    private String name;

    @Column(name = "key_hash", nullable = false)
    private String keyHash;

    @Column(name = "valid_until")
    private Instant validUntil;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected ApiKey() {}

    public ApiKey(UUID userId, String name, String keyHash, Instant validUntil, Instant now) {
        this.id = UUID.randomUUID();
        this.userId = userId;
        this.name = name;
        this.keyHash = keyHash;
        this.validUntil = validUntil;
        this.createdAt = now;
        this.updatedAt = now;
    }

    public boolean isValidAt(Instant now) {
        return validUntil == null || now.isBefore(validUntil);
    }

    public UUID getId() {
        return id;
    }

    public UUID getUserId() {
        return userId;
    }

    public String getName() {
        return name;
    }

    public Instant getValidUntil() {
        return validUntil;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
