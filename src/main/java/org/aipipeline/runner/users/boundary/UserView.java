package org.aipipeline.runner.users.boundary;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.users.entity.ApiKey;
import org.aipipeline.runner.users.entity.User;

/** The spec's {@code User}; {@code apiKeys} is null (and so omitted) for anyone but the user themself. */
@JsonbPropertyOrder({"id", "username", "apiKeys", "createdAt", "updatedAt"})
public record UserView(UUID id, String username, List<ApiKeyView> apiKeys, Instant createdAt, Instant updatedAt) {

    @JsonbPropertyOrder({"name", "validUntil", "createdAt", "updatedAt"})
    public record ApiKeyView(String name, Instant validUntil, Instant createdAt, Instant updatedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.getName(), key.getValidUntil(), key.getCreatedAt(), key.getUpdatedAt());
        }
    }

    public static UserView forOwner(User user, List<ApiKey> keys) {
        return new UserView(
                user.getId(),
                user.getUsername(),
                keys.stream().map(ApiKeyView::of).toList(),
                user.getCreatedAt(),
                user.getUpdatedAt());
    }

    public static UserView forOthers(User user) {
        return new UserView(user.getId(), user.getUsername(), null, user.getCreatedAt(), user.getUpdatedAt());
    }
}
