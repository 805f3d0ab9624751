package org.aipipeline.runner.files.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The MicroProfile Fault Tolerance policy of every File Service call, written once: a call is a
 * read, a write or a transfer, and each kind has its own circuit breaker (Fault Tolerance keeps
 * one per method). The breakers count only Unavailable and timeouts; once open, calls fail at
 * once with Unavailable instead of waiting out deadlines. Fault Tolerance's own refusals (circuit
 * open, timeout, bulkhead) become the Unavailable kind ({@link #refusalsAsUnavailable}).
 *
 * <p>Outside CDI ({@link #none()}) the methods only run the call, so tests and tools get the same
 * wire behaviour without the policy.
 */
@ApplicationScoped
@Timeout(value = 15, unit = ChronoUnit.SECONDS) // a backstop above files.service.deadline
@CircuitBreaker(
        requestVolumeThreshold = 4,
        failureRatio = 0.5,
        delay = 5,
        delayUnit = ChronoUnit.SECONDS,
        successThreshold = 1,
        failOn = {RunnerException.Unavailable.class, TimeoutException.class})
public class FileServicePolicy {

    private static final FileServicePolicy NONE = new FileServicePolicy();

    /** The policy's methods without the policy: for a client outside CDI. */
    static FileServicePolicy none() {
        return NONE;
    }

    /** Retried twice when the File Service is unavailable: a read repeated changes nothing. */
    @Retry(
            maxRetries = 2,
            delay = 200,
            jitter = 100,
            retryOn = RunnerException.Unavailable.class,
            abortOn = CircuitBreakerOpenException.class)
    public <T> T read(Supplier<T> call) {
        return call.get();
    }

    /** Not retried: a lost answer to a delete that worked would turn into a false NotFound. */
    public <T> T write(Supplier<T> call) {
        return call.get();
    }

    /** An upload: not retried (its stream is consumed), with a backstop above files.service.transfer-deadline. */
    @Timeout(value = 10, unit = ChronoUnit.MINUTES)
    public <T> T transfer(Supplier<T> call) {
        return call.get();
    }

    /**
     * Runs a call of this policy (on its CDI proxy) and turns Fault Tolerance's own refusals into
     * the Unavailable kind. Not a {@code @Fallback}: a fallback method of a generic method does not
     * pass every implementation's validation (SmallRye, on WildFly, refuses it).
     */
    static <T> T refusalsAsUnavailable(Supplier<T> guardedCall) {
        try {
            return guardedCall.get();
        } catch (CircuitBreakerOpenException | TimeoutException | BulkheadException e) {
            throw new RunnerException.Unavailable("The File Service is unavailable; try again shortly");
        }
    }
}
