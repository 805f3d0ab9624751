package org.aipipeline.runner.files.boundary;

import jakarta.ws.rs.core.EntityPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;

/**
 * The fields of {@code POST /Files/Upload}: {@code file} (required), {@code id} and
 * {@code storageScope} (optional). Like a JSON body, missing or invalid fields are one 422 that
 * names each of them. Only the standard {@link EntityPart} is used, so the form reads the same on
 * every Jakarta REST 3.1 server: Jersey (Payara) and RESTEasy (WildFly) both spool a large part to
 * a temporary file rather than memory, and delete it when the request ends.
 */
record UploadForm(EntityPart file, Optional<UUID> id, FileStorageScope scope) {

    static final String ALLOWED_SCOPES = "LongTerm, ShortTerm, Temporary";

    static UploadForm of(List<EntityPart> parts) {
        List<EntityPart> all = parts == null ? List.of() : parts;
        List<FieldError> errors = new ArrayList<>();
        EntityPart file = part(all, "file").orElse(null);
        if (file == null) {
            errors.add(new FieldError("file", "A multipart part named 'file' with the file's content is required"));
        }
        Optional<UUID> id = Optional.empty();
        Optional<String> rawId = text(all, "id");
        if (rawId.isPresent()) {
            try {
                id = Optional.of(Ids.parse("id", rawId.get()));
            } catch (RunnerException.BadInput e) {
                errors.add(new FieldError("id", e.getMessage()));
            }
        }
        FileStorageScope scope = FileStorageScope.LONG_TERM;
        Optional<String> rawScope = text(all, "storageScope");
        if (rawScope.isPresent()) {
            scope = FileStorageScope.ofRestName(rawScope.get()).orElse(null);
            if (scope == null) {
                errors.add(new FieldError(
                        "storageScope",
                        "storageScope must be one of " + ALLOWED_SCOPES + ", got '" + rawScope.get() + "'"));
            }
        }
        if (!errors.isEmpty()) {
            throw new RunnerException.Invalid("The upload form is invalid", errors);
        }
        return new UploadForm(file, id, scope);
    }

    /** The part's own Content-Type header; absent if the client sent none (the MIME default text/plain is not a statement). */
    Optional<String> declaredContentType() {
        return Optional.ofNullable(file.getHeaders().getFirst("Content-Type")).filter(t -> !t.isBlank());
    }

    /** The part's file name without any directory a browser may have sent along. */
    String fileName() {
        String name = utf8(file.getFileName().orElse("")).replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).strip();
        return name.isEmpty() ? "upload" : name;
    }

    /**
     * Browsers and curl send a non-ASCII file name as raw UTF-8 in the part header, which the
     * multipart parser reads as ISO-8859-1; undo that when the bytes are valid UTF-8.
     */
    static String utf8(String headerValue) {
        if (headerValue.chars().allMatch(c -> c < 0x80) || headerValue.chars().anyMatch(c -> c > 0xff)) {
            return headerValue;
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerValue.getBytes(StandardCharsets.ISO_8859_1)))
                    .toString();
        } catch (CharacterCodingException notUtf8) {
            return headerValue;
        }
    }

    private static Optional<EntityPart> part(List<EntityPart> parts, String name) {
        return parts.stream().filter(p -> name.equals(p.getName())).findFirst();
    }

    /** A small text field; blank counts as absent, as HTML forms send empty inputs. */
    private static Optional<String> text(List<EntityPart> parts, String name) {
        return part(parts, name)
                .map(p -> {
                    try {
                        return p.getContent(String.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })
                .map(String::strip)
                .filter(s -> !s.isEmpty());
    }
}
