package org.aipipeline.runner.nodes.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Whether a node counts as available: it advertised within the timeout
 * ({@code nodes.availability.timeout}, default three minutes; nodes advertise about once a
 * minute, so two missed adverts are tolerated). Pure: the caller supplies "now".
 */
public final class NodeLiveness {

    private final Duration timeout;

    public NodeLiveness(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("nodes.availability.timeout must be positive, got " + timeout);
        }
        this.timeout = timeout;
    }

    /** True when {@code lastAdvertisedAt} is at most the timeout before {@code now}. */
    public boolean isAvailable(Instant lastAdvertisedAt, Instant now) {
        Objects.requireNonNull(lastAdvertisedAt, "lastAdvertisedAt");
        return !lastAdvertisedAt.plus(timeout).isBefore(now);
    }
}
