package org.aipipeline.runner.platform.boundary;

import java.util.UUID;
import java.util.regex.Pattern;
import org.aipipeline.runner.platform.control.RunnerException;

/** Path and query ids arrive as text: a malformed one is a 400 that names the parameter. */
public final class Ids {

    public static final String UUID_PATTERN =
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
    private static final Pattern UUID_SHAPE = Pattern.compile(UUID_PATTERN);

    private Ids() {}

    public static UUID parse(String name, String raw) {
        if (raw == null || !UUID_SHAPE.matcher(raw).matches()) {
            throw new RunnerException.BadInput(name + " must be a UUID, got '" + raw + "'");
        }
        return UUID.fromString(raw);
    }
}
