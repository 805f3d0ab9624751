package org.aipipeline.runner.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** Collects latencies (nanoseconds) from many threads and reports percentiles in milliseconds. */
final class Latencies {

    private long[] samples = new long[1 << 14];
    private int count;
    private int errors;
    /** Why requests failed (an HTTP status or an exception's class), so a row's errors can be explained. */
    private final Map<String, Integer> reasons = new TreeMap<>();

    private long totalNanos;

    synchronized void record(long nanos) {
        if (count == samples.length) {
            samples = Arrays.copyOf(samples, count * 2);
        }
        samples[count++] = nanos;
        totalNanos += nanos;
    }

    synchronized void error(String reason) {
        errors++;
        reasons.merge(reason, 1, Integer::sum);
    }

    /** "401 ×12, ConnectException ×3", or empty without errors. */
    synchronized String reasons() {
        StringBuilder text = new StringBuilder();
        reasons.forEach((reason, n) -> text.append(text.isEmpty() ? "" : ", ")
                .append(reason)
                .append(" ×")
                .append(n));
        return text.toString();
    }

    synchronized int count() {
        return count;
    }

    synchronized int errors() {
        return errors;
    }

    /** Time spent in successful requests, summed: divided by the wall time it is the mean in flight. */
    synchronized double totalSeconds() {
        return totalNanos / 1e9;
    }

    synchronized double percentileMillis(double p) {
        if (count == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, count);
        Arrays.sort(sorted);
        int index = (int) Math.min(count - 1, Math.max(0, Math.ceil(p / 100.0 * count) - 1));
        return sorted[index] / 1_000_000.0;
    }
}
