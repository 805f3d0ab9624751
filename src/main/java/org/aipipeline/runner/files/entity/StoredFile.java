package org.aipipeline.runner.files.entity;

import java.time.Instant;
import java.util.UUID;

/** A file as the File Service describes it. {@code createdAt} is null if the service does not report it (the original one). */
public record StoredFile(
        UUID id,
        UUID userId,
        String fileName,
        FileStorageScope storageScope,
        String contentType,
        long sizeBytes,
        String storageProvider,
        String path,
        Instant createdAt) {}
