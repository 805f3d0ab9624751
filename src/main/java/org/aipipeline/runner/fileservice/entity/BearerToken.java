package org.aipipeline.runner.fileservice.entity;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * The shared secret of a File Service ({@code files.service.token}): when one is set, every call
 * carries the metadata {@code authorization: Bearer <token>}. Servers check it with
 * {@link BearerTokenGuard}, clients send it with {@link #sender()}. Never printed: its
 * {@code toString} is redacted and no message quotes it.
 */
public final class BearerToken {

    public static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final String SCHEME = "Bearer ";

    private final String token;
    /** SHA-256 of the token: comparing digests takes the same time whatever the length or content offered. */
    private final byte[] digest;

    private BearerToken(String token) {
        this.token = token;
        this.digest = sha256(token);
    }

    /**
     * The token given directly or in a file (a trailing newline is ignored); empty when neither is
     * set. Both set, an unreadable file or a token that cannot travel as gRPC metadata is a
     * start-up error naming the setting.
     */
    public static Optional<BearerToken> configured(String token, String tokenFile) {
        boolean direct = token != null && !token.isBlank();
        boolean file = tokenFile != null && !tokenFile.isBlank();
        if (direct && file) {
            throw new IllegalArgumentException(
                    "Set the File Service token either directly (FILES_SERVICE_TOKEN, "
                            + "files.service.token) or in a file (FILES_SERVICE_TOKEN_FILE, files.service.token-file), not both");
        }
        if (file) {
            return Optional.of(of(read(Path.of(tokenFile.strip())).strip(), "the file " + tokenFile.strip()));
        }
        return direct ? Optional.of(of(token.strip(), "FILES_SERVICE_TOKEN (files.service.token)")) : Optional.empty();
    }

    private static BearerToken of(String token, String source) {
        if (token.isEmpty()) {
            throw new IllegalArgumentException("The File Service token in " + source + " is empty");
        }
        // gRPC metadata values are printable ASCII; a space would end the token inside the header.
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(
                    "The File Service token in " + source
                            + " must be printable ASCII without spaces (it travels as gRPC metadata); e.g. openssl rand -hex 32");
        }
        return new BearerToken(token);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot read the File Service token file " + file + " (FILES_SERVICE_TOKEN_FILE, "
                            + "files.service.token-file): " + e,
                    e);
        }
    }

    /** Whether an {@code authorization} metadata value carries this token, in constant time. */
    public boolean isCarriedBy(String authorization) {
        return isBearer(authorization)
                && MessageDigest.isEqual(digest, sha256(authorization.substring(SCHEME.length())));
    }

    /** Whether an {@code authorization} value uses the Bearer scheme (its name is case-insensitive, RFC 7235). */
    public static boolean isBearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length());
    }

    /** A client interceptor that adds {@code authorization: Bearer <token>} to every call of a channel. */
    public ClientInterceptor sender() {
        Metadata headers = new Metadata();
        headers.put(AUTHORIZATION, SCHEME + token);
        return MetadataUtils.newAttachHeadersInterceptor(headers);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "BearerToken[redacted]";
    }
}
