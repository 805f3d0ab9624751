package org.aipipeline.runner.files.control;

import io.grpc.Status;
import java.lang.System.Logger.Level;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * A File Service status as the runner's error family, the one mapping of this way out:
 * NOT_FOUND is NotFound, INVALID_ARGUMENT BadInput, ALREADY_EXISTS Conflict, RESOURCE_EXHAUSTED
 * TooLarge, anything else (unreachable, slow, failing, refusing the token) Unavailable (503).
 */
final class FileServiceStatus {

    private static final System.Logger LOG = System.getLogger(FileServiceStatus.class.getName());

    private FileServiceStatus() {}

    static RunnerException translate(Status status) {
        String detail = status.getDescription() == null ? status.getCode().toString() : status.getDescription();
        return switch (status.getCode()) {
            case NOT_FOUND -> new RunnerException.NotFound(detail);
            case INVALID_ARGUMENT -> new RunnerException.BadInput(detail);
            case ALREADY_EXISTS -> new RunnerException.Conflict(detail);
            case RESOURCE_EXHAUSTED -> new RunnerException.TooLarge(detail);
            default -> {
                LOG.log(Level.WARNING, "File Service call failed: {0} {1}", status.getCode(), detail);
                yield new RunnerException.Unavailable("The File Service is unavailable (" + status.getCode() + ")");
            }
        };
    }
}
