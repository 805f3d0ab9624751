package org.aipipeline.runner.events.control;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived stream tokens, for browsers whose {@code EventSource} cannot send {@code Authorization}:
 * {@code evt1.<payload>.<mac>} where the payload names the stream kind (run or batch), its id, the
 * user and the expiry, and the mac is HMAC-SHA256 over the payload. Such a token opens that one
 * stream for that user until it expires, and nothing else: it is no JWT (MP-JWT refuses it as a
 * bearer token) and no API key (no stored hash matches), and the Events endpoints accept nothing
 * but such a token as {@code ?token=}.
 *
 * <p>The key must be the same on every instance (a token created on one opens a stream on
 * another): {@link #of(byte[])} takes the configured secret or a key derived from the JWT signing
 * key, which instances share anyway.
 */
public final class StreamTokens {

    public static final String PREFIX = "evt1.";
    public static final Duration LIFETIME = Duration.ofSeconds(60);
    private static final String HMAC = "HmacSHA256";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();

    /** What a token opens. */
    public enum Kind {
        run,
        batch
    }

    /** A token and when it stops working. */
    public record Issued(String token, Instant expiresAt) {}

    private final SecretKeySpec key;

    private StreamTokens(byte[] key) {
        this.key = new SecretKeySpec(key, HMAC);
    }

    /** Tokens signed with a key derived from {@code secret} (any length; hashed to 256 bits). */
    public static StreamTokens of(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("aipipeline-runner stream tokens v1".getBytes(StandardCharsets.US_ASCII));
            return new StreamTokens(sha.digest(secret));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** A token for {@code userId}'s stream {@code kind}/{@code id}, valid for {@link #LIFETIME} from {@code now}. */
    public Issued issue(Kind kind, UUID id, UUID userId, Instant now) {
        Instant expiresAt = Instant.ofEpochSecond(now.plus(LIFETIME).getEpochSecond());
        String payload = B64.encodeToString((kind + ":" + id + ":" + userId + ":" + expiresAt.getEpochSecond())
                .getBytes(StandardCharsets.US_ASCII));
        return new Issued(PREFIX + payload + "." + B64.encodeToString(mac(payload)), expiresAt);
    }

    /**
     * The user a token lets open stream {@code kind}/{@code id} at {@code now}; empty when it is not
     * such a token, is forged or altered, has expired, or names another stream.
     */
    public Optional<UUID> userFor(String token, Kind kind, UUID id, Instant now) {
        if (token == null || !token.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String rest = token.substring(PREFIX.length());
        int dot = rest.indexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String payload = rest.substring(0, dot);
        try {
            if (!MessageDigest.isEqual(mac(payload), DECODE.decode(rest.substring(dot + 1)))) {
                return Optional.empty();
            }
            String[] parts = new String(DECODE.decode(payload), StandardCharsets.US_ASCII).split(":");
            if (parts.length != 4
                    || !parts[0].equals(kind.name())
                    || !UUID.fromString(parts[1]).equals(id)
                    || Long.parseLong(parts[3]) <= now.getEpochSecond()) {
                return Optional.empty();
            }
            return Optional.of(UUID.fromString(parts[2]));
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // not base64, not a UUID, not a number: not one of ours
        }
    }

    private byte[] mac(String payload) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
