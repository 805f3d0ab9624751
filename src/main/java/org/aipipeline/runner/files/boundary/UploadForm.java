package org.aipipeline.runner.files.boundary;

import jakarta.ws.rs.core.EntityPart;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.files.entity.FileStorageScope;
import org.aipipeline.runner.platform.boundary.Ids;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.glassfish.jersey.media.multipart.BodyPart;

/**
 * The fields of {@code POST /Files/Upload}: {@code file} (required), {@code id} and
 * {@code storageScope} (optional). Like a JSON body, missing or invalid fields are one 422 that
 * names each of them. Close it when done: that deletes the file part's temporary copy at once
 * instead of whenever the garbage collector gets to it.
 */
record UploadForm(EntityPart file, Optional<UUID> id, FileStorageScope scope, List<EntityPart> parts)
        implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(UploadForm.class.getName());
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
                errors.add(new FieldError("storageScope",
                        "storageScope must be one of " + ALLOWED_SCOPES + ", got '" + rawScope.get() + "'"));
            }
        }
        if (!errors.isEmpty()) {
            close(all);
            throw new RunnerException.Invalid("The upload form is invalid", errors);
        }
        return new UploadForm(file, id, scope, all);
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
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(headerValue.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException notUtf8) {
            return headerValue;
        }
    }

    @Override
    public void close() {
        close(parts);
    }

    private static Optional<EntityPart> part(List<EntityPart> parts, String name) {
        return parts.stream().filter(p -> name.equals(p.getName())).findFirst();
    }

    /** A small text field; blank counts as absent, as HTML forms send empty inputs. */
    private static Optional<String> text(List<EntityPart> parts, String name) {
        return part(parts, name).map(p -> {
            try {
                return p.getContent(String.class);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static void close(List<EntityPart> parts) {
        for (EntityPart part : parts) {
            // Jersey backs each part with a BodyPart whose large content sits in a temporary file.
            if (part instanceof BodyPart body) {
                try {
                    body.cleanup();
                } catch (RuntimeException e) {
                    LOG.log(Level.DEBUG, "Could not clean up an upload part", e);
                }
            }
        }
    }
}
