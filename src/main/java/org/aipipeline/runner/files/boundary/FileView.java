package org.aipipeline.runner.files.boundary;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.files.entity.StoredFile;

/** The spec's {@code File}; {@code fileName}, {@code sizeBytes} and {@code createdAt} are beyond the original. */
@JsonbPropertyOrder({
    "id",
    "userId",
    "fileName",
    "fileStorageScope",
    "contentType",
    "sizeBytes",
    "storageProvider",
    "path",
    "createdAt"
})
public record FileView(
        UUID id,
        UUID userId,
        String fileName,
        String fileStorageScope,
        String contentType,
        long sizeBytes,
        String storageProvider,
        String path,
        Instant createdAt) {

    public static FileView of(StoredFile file) {
        return new FileView(
                file.id(),
                file.userId(),
                file.fileName(),
                file.storageScope().restName(),
                file.contentType(),
                file.sizeBytes(),
                file.storageProvider(),
                file.path(),
                file.createdAt());
    }
}
