package org.aipipeline.runner.auth.control;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives MicroProfile JWT the public half of {@link SigningKeys} as {@code mp.jwt.verify.publickey},
 * so the verifier checks exactly the tokens this runner signs, whether the keys are configured or
 * generated. Its low ordinal lets an explicitly configured verifier key win.
 */
public class SigningKeysConfigSource implements ConfigSource {

    static final String PUBLIC_KEY = "mp.jwt.verify.publickey";

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PUBLIC_KEY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PUBLIC_KEY, SigningKeys.current().publicKeyPem());
    }

    @Override
    public String getValue(String propertyName) {
        return PUBLIC_KEY.equals(propertyName) ? SigningKeys.current().publicKeyPem() : null;
    }

    @Override
    public String getName() {
        return "runner-signing-keys";
    }

    @Override
    public int getOrdinal() {
        return 50;
    }
}
