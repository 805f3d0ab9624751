package org.aipipeline.runner.pipelines.control;

import java.time.Duration;

/**
 * How long the runner waits for a step's report: {@code stepTimeoutSeconds} of the request, else
 * {@code pipelines.step-timeout.default}; never more than {@code pipelines.step-timeout.max}.
 */
public record StepTimeouts(Duration byDefault, Duration max) {

    /** One hour unless configured, at most a day. */
    public static final StepTimeouts STANDARD = new StepTimeouts(Duration.ofHours(1), Duration.ofDays(1));

    public StepTimeouts {
        if (byDefault.isNegative() || byDefault.isZero() || max.compareTo(byDefault) < 0) {
            throw new IllegalArgumentException(
                    "step timeouts need 0 < default <= max, got " + byDefault + " and " + max);
        }
    }

    /** The wait for a step, or null with a message in {@code problem} when the requested value is out of bounds. */
    Integer secondsFor(Integer requested, StringBuilder problem) {
        if (requested == null) {
            return (int) byDefault.toSeconds();
        }
        if (requested < 1 || requested > max.toSeconds()) {
            problem.append("must be between 1 and ")
                    .append(max.toSeconds())
                    .append(" seconds, got ")
                    .append(requested);
            return null;
        }
        return requested;
    }
}
