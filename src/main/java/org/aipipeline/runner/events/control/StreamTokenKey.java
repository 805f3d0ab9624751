package org.aipipeline.runner.events.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.aipipeline.runner.auth.control.SigningKeys;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The stream tokens of this runner: signed with {@code events.token-secret} when set, otherwise
 * with a key derived from the JWT signing key. Every instance must sign alike (a token made on
 * one opens a stream on another); instances share the JWT key pair for access tokens anyway, so
 * the derived key needs no extra setting.
 */
@ApplicationScoped
public class StreamTokenKey {

    @Inject
    @ConfigProperty(name = "events.token-secret")
    Optional<String> secret;

    private StreamTokens tokens;

    @PostConstruct
    void load() {
        tokens = StreamTokens.of(secret.filter(text -> !text.isBlank())
                .map(text -> text.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> SigningKeys.current().privateKey().getEncoded()));
    }

    public StreamTokens tokens() {
        return tokens;
    }
}
