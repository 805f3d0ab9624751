package org.aipipeline.runner.apscheme;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A file in the File Service. In a scheme {@code id} is the nil UUID, {@code contentType} is
 * empty and {@code supportedContentTypes} lists what the procedure accepts; in a value {@code id}
 * and {@code contentType} name a real file.
 */
public record ApFile(UUID id, String contentType, List<String> supportedContentTypes) implements ApElement {

    public static final String TYPE = "ApFile";
    public static final UUID NIL_ID = new UUID(0, 0);

    public ApFile {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contentType, "contentType");
        supportedContentTypes = List.copyOf(supportedContentTypes);
    }

    /** A concrete file, as a pipeline input carries it. */
    public static ApFile of(UUID id, String contentType) {
        return new ApFile(id, contentType, List.of());
    }

    /** The scheme form: nil id, no content type, the accepted types listed. */
    public static ApFile template(List<String> supportedContentTypes) {
        return new ApFile(NIL_ID, "", supportedContentTypes);
    }

    @Override
    public String typeName() {
        return TYPE;
    }
}
