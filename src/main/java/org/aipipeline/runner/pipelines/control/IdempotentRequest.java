package org.aipipeline.runner.pipelines.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * A submission carrying an {@code Idempotency-Key}: who sent it, the key, which endpoint and a
 * fingerprint of its parsed body (SHA-256 of the request record's text, in which the JSON values
 * appear as compact JSON: whitespace does not matter, member order inside {@code input} does).
 */
public record IdempotentRequest(UUID userId, String key, String endpoint, String fingerprint) {

    public static final int MAX_KEY_LENGTH = 255;

    /**
     * The request, or null without a key (the usual case costs nothing more).
     *
     * @throws RunnerException.BadInput the key is empty, longer than 255 characters or not printable ASCII
     */
    public static IdempotentRequest of(String key, UUID userId, String endpoint, Object body) {
        if (key == null) {
            return null;
        }
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
            throw new RunnerException.BadInput("Idempotency-Key must be 1.." + MAX_KEY_LENGTH
                    + " printable ASCII characters (such as a UUID); got " + key.length() + " characters"
                    + (key.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)
                            ? ""
                            : " with non-printable or non-ASCII ones"));
        }
        return new IdempotentRequest(userId, key, endpoint, fingerprint(endpoint + "\n" + body));
    }

    static String fingerprint(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
