package org.aipipeline.runner.events.control;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an event of a run stands in the run's fixed order: step by step, each step's dispatch,
 * then its failed attempts, then its outcome; {@code finished} last. The text form is the SSE
 * {@code id} ({@code 2:dispatched}, {@code 2:retrying:1}, {@code 2:succeeded}, {@code 2:failed},
 * {@code finished}); ordering lets a reconnecting client's {@code Last-Event-ID} say what it has
 * seen even when the stored state no longer yields that exact event (a retry reconstructed after
 * the step finished, say).
 */
public record EventId(int order, Phase phase, int attempt) implements Comparable<EventId> {

    /** The steps of one order in the order they happen. */
    public enum Phase {
        DISPATCHED,
        RETRYING,
        SUCCEEDED,
        FAILED,
        FINISHED
    }

    public static final EventId FINISHED = new EventId(Integer.MAX_VALUE, Phase.FINISHED, 0);

    private static final Pattern STEP =
            Pattern.compile("([1-9][0-9]{0,8}):(dispatched|retrying:([1-9][0-9]{0,8})|succeeded|failed)");
    private static final Comparator<EventId> ORDER = Comparator.comparingInt(EventId::order)
            .thenComparing(EventId::phase)
            .thenComparingInt(EventId::attempt);

    public static EventId dispatched(int order) {
        return new EventId(order, Phase.DISPATCHED, 0);
    }

    public static EventId retrying(int order, int failedAttempts) {
        return new EventId(order, Phase.RETRYING, failedAttempts);
    }

    public static EventId succeeded(int order) {
        return new EventId(order, Phase.SUCCEEDED, 0);
    }

    public static EventId failed(int order) {
        return new EventId(order, Phase.FAILED, 0);
    }

    /** The id in its text form, or null when {@code text} is not an id of a run's stream. */
    public static EventId parse(String text) {
        if ("finished".equals(text)) {
            return FINISHED;
        }
        Matcher m = STEP.matcher(text == null ? "" : text);
        if (!m.matches()) {
            return null;
        }
        int order = Integer.parseInt(m.group(1));
        return switch (m.group(2)) {
            case "dispatched" -> dispatched(order);
            case "succeeded" -> succeeded(order);
            case "failed" -> failed(order);
            default -> retrying(order, Integer.parseInt(m.group(3)));
        };
    }

    @Override
    public int compareTo(EventId other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return switch (phase) {
            case DISPATCHED -> order + ":dispatched";
            case RETRYING -> order + ":retrying:" + attempt;
            case SUCCEEDED -> order + ":succeeded";
            case FAILED -> order + ":failed";
            case FINISHED -> "finished";
        };
    }
}
