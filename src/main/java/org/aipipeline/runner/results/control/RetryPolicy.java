package org.aipipeline.runner.results.control;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How a step is tried again after a failed attempt: at most {@code maxAttempts} attempts in all,
 * the first retry {@code backoffSeconds} after the failure and each later one twice as long after
 * its failure as the one before, on a failure whose code is listed in {@code onCodes} or, when
 * none are listed, on any 5xx (which includes the runner's own 503 "node unreachable" and 504
 * "deadline passed").
 */
public record RetryPolicy(int maxAttempts, double backoffSeconds, List<Integer> onCodes) {

    public static final int MAX_ATTEMPTS = 10;
    /** One backoff of at most an hour; doubled nine times, the longest wait stays under a day per attempt. */
    public static final double MAX_BACKOFF_SECONDS = 3600;
    /** No wait is longer than a day, whatever the doubling says. */
    static final Duration LONGEST_WAIT = Duration.ofDays(1);

    public RetryPolicy {
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("maxAttempts must be 1.." + MAX_ATTEMPTS + ", got " + maxAttempts);
        }
        if (!(backoffSeconds >= 0 && backoffSeconds <= MAX_BACKOFF_SECONDS)) {
            throw new IllegalArgumentException(
                    "backoffSeconds must be 0.." + (int) MAX_BACKOFF_SECONDS + ", got " + backoffSeconds);
        }
        onCodes = onCodes == null ? List.of() : List.copyOf(onCodes);
    }

    /**
     * Whether a step whose attempt number {@code failedAttempt} (1-based) just failed with
     * {@code code} is tried again.
     */
    public boolean retries(int failedAttempt, int code) {
        return failedAttempt < maxAttempts && (onCodes.isEmpty() ? code >= 500 && code <= 599 : onCodes.contains(code));
    }

    /** How long after attempt {@code failedAttempt} failed the next one is dispatched. */
    public Duration waitAfter(int failedAttempt) {
        double seconds = backoffSeconds * Math.pow(2, Math.max(0, failedAttempt - 1));
        long millis = (long) Math.min(seconds * 1000, LONGEST_WAIT.toMillis());
        return Duration.ofMillis(millis);
    }

    /** The policy as one field of a step plan line: "maxAttempts,backoffSeconds,code;code…". */
    String text() {
        StringBuilder text = new StringBuilder()
                .append(maxAttempts)
                .append(',')
                .append(backoffSeconds)
                .append(',');
        for (int i = 0; i < onCodes.size(); i++) {
            text.append(i == 0 ? "" : ";").append(onCodes.get(i));
        }
        return text.toString();
    }

    /** Reads what {@link #text()} wrote. */
    static RetryPolicy parse(String text) {
        String[] fields = text.split(",", -1);
        if (fields.length != 3) {
            throw new IllegalArgumentException("Not a retry policy: " + text);
        }
        List<Integer> codes = fields[2].isEmpty()
                ? List.of()
                : Arrays.stream(fields[2].split(";")).map(Integer::valueOf).toList();
        return new RetryPolicy(Integer.parseInt(fields[0]), Double.parseDouble(fields[1]), codes);
    }
}
