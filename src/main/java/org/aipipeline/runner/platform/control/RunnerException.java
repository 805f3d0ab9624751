package org.aipipeline.runner.platform.control;

import jakarta.ejb.ApplicationException;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.entity.FieldError;

/**
 * Every error the runner reports on purpose. Each kind knows its HTTP status; the boundary maps
 * it once to RFC 9457, consumers map it to ack/dead-letter. Marked as an application exception
 * so EJBs roll back and do not wrap it in EJBException.
 */
@ApplicationException(rollback = true)
public abstract sealed class RunnerException extends RuntimeException {

    private final transient Map<String, Object> extensions;

    RunnerException(String message, Map<String, Object> extensions) {
        super(message);
        this.extensions = Map.copyOf(extensions);
    }

    public abstract int status();

    public abstract String title();

    /** Extra problem members such as {@code pipelineId}. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    public List<FieldError> fieldErrors() {
        return List.of();
    }

    public static final class NotFound extends RunnerException {
        public NotFound(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 404;
        }

        @Override
        public String title() {
            return "Not Found";
        }
    }

    public static final class Conflict extends RunnerException {
        public Conflict(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 409;
        }

        @Override
        public String title() {
            return "Conflict";
        }
    }

    public static final class Invalid extends RunnerException {
        private final transient List<FieldError> errors;

        public Invalid(String message, List<FieldError> errors) {
            super(message, Map.of());
            this.errors = List.copyOf(errors);
        }

        public Invalid(String field, String message) {
            this(message, List.of(new FieldError(field, message)));
        }

        @Override
        public int status() {
            return 422;
        }

        @Override
        public String title() {
            return "Unprocessable Content";
        }

        @Override
        public List<FieldError> fieldErrors() {
            return errors;
        }
    }

    public static final class BadInput extends RunnerException {
        public BadInput(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 400;
        }

        @Override
        public String title() {
            return "Bad Request";
        }
    }

    public static final class Unauthorized extends RunnerException {
        public Unauthorized(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 401;
        }

        @Override
        public String title() {
            return "Unauthorized";
        }
    }

    public static final class Forbidden extends RunnerException {
        public Forbidden(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 403;
        }

        @Override
        public String title() {
            return "Forbidden";
        }
    }

    public static final class TooLarge extends RunnerException {
        public TooLarge(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 413;
        }

        @Override
        public String title() {
            return "Content Too Large";
        }
    }

    public static final class TooManyRequests extends RunnerException {
        private final long retryAfterSeconds;

        public TooManyRequests(String message, long retryAfterSeconds) {
            super(message, Map.of());
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        @Override
        public int status() {
            return 429;
        }

        @Override
        public String title() {
            return "Too Many Requests";
        }
    }

    public static final class Unavailable extends RunnerException {
        public Unavailable(String message) {
            super(message, Map.of());
        }

        @Override
        public int status() {
            return 503;
        }

        @Override
        public String title() {
            return "Service Unavailable";
        }
    }

    public static final class TimedOut extends RunnerException {
        public TimedOut(String message, Map<String, Object> extensions) {
            super(message, extensions);
        }

        @Override
        public int status() {
            return 408;
        }

        @Override
        public String title() {
            return "Request Timeout";
        }
    }
}
