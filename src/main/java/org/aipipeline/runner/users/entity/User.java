package org.aipipeline.runner.users.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;

@Entity
@Table(name = "users")
@NamedQuery(name = User.BY_USERNAME, query = "select u from User u where u.usernameKey = :key")
public class User {

    public static final String BY_USERNAME = "User.byUsername";

    @Id
    private UUID id;

    @Column(nullable = false)
    private String username;

    /** Lower-cased username: the unique key, since names are unique case-insensitively. */
    @Column(name = "username_key", nullable = false)
    private String usernameKey;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected User() {}

    public User(UUID id, String username, String passwordHash, Instant now) {
        this.id = id;
        rename(username, now);
        this.passwordHash = passwordHash;
        this.createdAt = now;
    }

    public static String keyOf(String username) {
        return username.toLowerCase(Locale.ROOT);
    }

    public void rename(String newName, Instant now) {
        this.username = newName;
        this.usernameKey = keyOf(newName);
        this.updatedAt = now;
    }

    public void changePassword(String newHash, Instant now) {
        this.passwordHash = newHash;
        this.updatedAt = now;
    }

    public UUID getId() {
        return id;
    }

    public String getUsername() {
        return username;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getUpdatedAt() {
        return updatedAt;
    }
}
