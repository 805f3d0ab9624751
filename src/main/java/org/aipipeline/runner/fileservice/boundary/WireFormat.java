package org.aipipeline.runner.fileservice.boundary;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.fileservice.control.FileStoreException;
import org.aipipeline.runner.fileservice.entity.FileRecord;
import org.aipipeline.runner.fileservice.entity.FileScope;
import org.aipipeline.runner.proto.files.FileDto;
import org.aipipeline.runner.proto.files.StorageScope;

/** Translation between the proto messages and the File Service's own types, and its status codes. */
final class WireFormat {

    static final int DEFAULT_PAGE_SIZE = 20;
    static final int MAX_PAGE_SIZE = 100;
    static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";
    static final int MAX_FILE_NAME = 255;

    private WireFormat() {}

    static FileDto toDto(FileRecord file) {
        return FileDto.newBuilder()
                .setFileGuid(file.fileGuid().toString())
                .setFileStorageScope(toWire(file.scope()))
                .setContentType(file.contentType())
                .setStorageProvider(file.storageProvider())
                .setPath(file.path())
                .setUserGuid(file.userGuid().toString())
                .setFileName(file.fileName())
                .setSizeBytes(file.sizeBytes())
                .setCreatedAt(file.createdAt().toString())
                .build();
    }

    static StorageScope toWire(FileScope scope) {
        return switch (scope) {
            case LONG_TERM -> StorageScope.LONG_TERM;
            case SHORT_TERM -> StorageScope.SHORT_TERM;
            case TEMPORARY -> StorageScope.TEMPORARY;
        };
    }

    /** For uploads: an unset scope means long-term, the REST default too. */
    static FileScope scopeOrLongTerm(StorageScope scope) {
        return scopeFilter(scope).orElse(FileScope.LONG_TERM);
    }

    static Optional<FileScope> scopeFilter(StorageScope scope) {
        return switch (scope) {
            case LONG_TERM -> Optional.of(FileScope.LONG_TERM);
            case SHORT_TERM -> Optional.of(FileScope.SHORT_TERM);
            case TEMPORARY -> Optional.of(FileScope.TEMPORARY);
            case FILE_STORAGE_SCOPE_UNSPECIFIED -> Optional.empty();
            case UNRECOGNIZED -> throw FileStoreException.invalid("Unknown storage scope");
        };
    }

    static UUID uuid(String field, String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw FileStoreException.invalid(field + " must be a UUID, got '" + value + "'");
    }

    /** A name is kept for display and the download's Content-Disposition: never a path. */
    static String fileName(String name, UUID fileGuid) {
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1)
                .strip();
        String clean = last.codePoints()
                .filter(c -> !Character.isISOControl(c))
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        if (clean.isEmpty()) {
            return fileGuid.toString();
        }
        return clean.length() > MAX_FILE_NAME ? clean.substring(clean.length() - MAX_FILE_NAME) : clean;
    }

    static String contentType(String contentType) {
        String type = contentType.strip();
        if (type.length() > 255) {
            throw FileStoreException.invalid("content_type is too long");
        }
        return type.isEmpty() ? DEFAULT_CONTENT_TYPE : type;
    }

    /** 0 (the proto3 default, i.e. not sent) means the default; anything else must be in range. */
    static int pageNumber(int value) {
        if (value < 0) {
            throw FileStoreException.invalid("page_number must be at least 1, got " + value);
        }
        return value == 0 ? 1 : value;
    }

    static int pageSize(int value) {
        if (value < 0 || value > MAX_PAGE_SIZE) {
            throw FileStoreException.invalid("page_size must be between 1 and " + MAX_PAGE_SIZE + ", got " + value);
        }
        return value == 0 ? DEFAULT_PAGE_SIZE : value;
    }

    static StatusRuntimeException toStatus(FileStoreException e) {
        Status status = switch (e.reason()) {
            case NOT_FOUND -> Status.NOT_FOUND;
            case ALREADY_EXISTS -> Status.ALREADY_EXISTS;
            case INVALID -> Status.INVALID_ARGUMENT;
            case TOO_LARGE -> Status.RESOURCE_EXHAUSTED;
            case UNAVAILABLE -> Status.UNAVAILABLE;
            case INTERNAL -> Status.INTERNAL;
        };
        return status.withDescription(e.getMessage()).asRuntimeException();
    }
}
