package org.aipipeline.runner.files.control;

import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.Pagination;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.GetAllFilesResponse;
import org.aipipeline.runner.proto.files.StorageScope;

/** The File Service's messages as the runner's values, and back. */
final class FileServiceWire {

    private FileServiceWire() {}

    static StoredFile toStoredFile(FileDto dto) {
        return new StoredFile(
                UUID.fromString(dto.getFileGuid()),
                UUID.fromString(dto.getUserGuid()),
                dto.getFileName(),
                fromWire(dto.getFileStorageScope()),
                dto.getContentType(),
                dto.getSizeBytes(),
                dto.getStorageProvider(),
                dto.getPath(),
                dto.getCreatedAt().isEmpty() ? null : Instant.parse(dto.getCreatedAt()));
    }

    static Page<StoredFile> toPage(GetAllFilesResponse response) {
        var p = response.getPagination();
        return new Page<>(
                response.getItemsList().stream()
                        .map(FileServiceWire::toStoredFile)
                        .toList(),
                new Pagination(
                        p.getPageNumber(),
                        p.getPageSize(),
                        p.getTotalPages(),
                        p.getTotalCount(),
                        p.getHasPreviousPage(),
                        p.getHasNextPage()));
    }

    static StorageScope toWire(FileStorageScope scope) {
        return switch (scope) {
            case LONG_TERM -> StorageScope.LONG_TERM;
            case SHORT_TERM -> StorageScope.SHORT_TERM;
            case TEMPORARY -> StorageScope.TEMPORARY;
        };
    }

    static FileStorageScope fromWire(StorageScope scope) {
        return switch (scope) {
            case SHORT_TERM -> FileStorageScope.SHORT_TERM;
            case TEMPORARY -> FileStorageScope.TEMPORARY;
            // The original service never stores "unspecified"; read anything else as the default.
            default -> FileStorageScope.LONG_TERM;
        };
    }
}
