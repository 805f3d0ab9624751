package org.aipipeline.runner.fileservice.entity;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One stored file's metadata. {@code path} is relative to the blob root
 * ({@code <scope-dir>/<file_guid><extension>}); {@code expiresAt} is null for long-term files.
 */
public record FileRecord(
        UUID fileGuid,
        UUID userGuid,
        FileScope scope,
        String contentType,
        String fileName,
        long sizeBytes,
        String path,
        String storageProvider,
        Instant createdAt,
        Instant expiresAt) {

    public Optional<Instant> expiry() {
        return Optional.ofNullable(expiresAt);
    }
}
