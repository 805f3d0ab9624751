package org.aipipeline.runner.results.control;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where a run's events are POSTed ({@code callback} of a run request, checked by the callbacks
 * feature): the URL, the secret its deliveries are signed with (null: unsigned) and the events
 * asked for.
 */
public record RunCallback(String url, String secret, Set<String> events) {

    /** Every event a callback may ask for. */
    public static final List<String> EVENTS = List.of("finished", "step-succeeded", "step-failed", "retrying");
    /** The events of a callback that names none. */
    public static final Set<String> DEFAULT_EVENTS = Set.of("finished");

    public RunCallback {
        events = Set.copyOf(events);
    }

    /** The events as stored: {@code ",finished,step-failed,"}, in {@link #EVENTS} order. */
    String eventsText() {
        return EVENTS.stream().filter(events::contains).collect(Collectors.joining(",", ",", ","));
    }

    /** Whether the stored events text asks for {@code event}. */
    static boolean asks(String eventsText, String event) {
        return eventsText != null && eventsText.contains("," + event + ",");
    }

    /** Reads what {@link #eventsText()} wrote. */
    public static Set<String> events(String eventsText) {
        return eventsText == null
                ? Set.of()
                : Arrays.stream(eventsText.split(","))
                        .filter(e -> !e.isEmpty())
                        .collect(Collectors.toCollection(LinkedHashSet::new));
    }
}
