package org.aipipeline.runner.events.control;

import jakarta.json.JsonException;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.Retrying;

/**
 * The events of a run, a pure function of its stored state, in the fixed order of {@link EventId}.
 * A running run's events stop at the first step without a row (its later rows, stored out of
 * order, show up once the gap is filled), so every later call only appends: a stream sends the
 * events after the last one it sent and never re-orders. A finished run shows every row it has,
 * then {@code finished}.
 *
 * <ul>
 *   <li>{@code dispatched} {order, nodeId, procedureId}: step 1 once recorded; step k once step
 *       k-1's success is stored (the node forwards the next step itself), or once step k has a row.</li>
 *   <li>{@code retrying} {order, failedAttempts, lastFailureReason, nextAttemptAt}: one per failed
 *       attempt that was retried; only the latest carries a reason and time (earlier ones are not
 *       stored), and once the step has a row none has a time.</li>
 *   <li>{@code step-succeeded} {order, result}; {@code step-failed} {order, failureReason {code,
 *       reason}} for a step that ran and failed (steps never run get no event).</li>
 *   <li>{@code finished} {status, finishedAt}.</li>
 * </ul>
 */
public final class RunEvents {

    private RunEvents() {}

    public static List<StreamEvent> of(RunState run) {
        Map<Integer, RunState.Step> rows = new HashMap<>();
        run.steps().forEach(step -> rows.put(step.order(), step));
        boolean finished = run.status().isFinished();
        List<StreamEvent> events = new ArrayList<>();
        for (int order = 1; order <= run.stepCount(); order++) {
            RunState.Step row = rows.get(order);
            RunState.Step previous = rows.get(order - 1);
            boolean reached = order == 1 || previous != null && previous.successful();
            boolean ran = row != null && row.finishedAt() != null;
            if (!reached && !ran) {
                if (finished) {
                    continue;
                }
                break;
            }
            events.add(dispatched(run, order, row));
            retries(run.retrying(), order, row, events);
            if (row == null) {
                if (finished) {
                    continue;
                }
                break;
            }
            if (row.successful()) {
                events.add(new StreamEvent(
                        EventId.succeeded(order).toString(),
                        "step-succeeded",
                        JsonCodecs.JSON
                                .createObjectBuilder()
                                .add("order", order)
                                .add("result", embedded(row.resultJson()))
                                .build()));
            } else if (ran) {
                JsonObjectBuilder reason = JsonCodecs.JSON.createObjectBuilder();
                number(reason, "code", row.failureCode());
                text(reason, "reason", row.failureReason());
                events.add(new StreamEvent(
                        EventId.failed(order).toString(),
                        "step-failed",
                        JsonCodecs.JSON
                                .createObjectBuilder()
                                .add("order", order)
                                .add("failureReason", reason)
                                .build()));
            }
        }
        if (finished) {
            JsonObjectBuilder data = JsonCodecs.JSON
                    .createObjectBuilder()
                    .add("status", run.status().name());
            text(
                    data,
                    "finishedAt",
                    run.finishedAt() == null ? null : run.finishedAt().toString());
            events.add(new StreamEvent(EventId.FINISHED.toString(), "finished", data.build()));
        }
        return events;
    }

    /** The events after {@code lastSeen} (all of them when null). */
    public static List<StreamEvent> after(List<StreamEvent> events, EventId lastSeen) {
        if (lastSeen == null) {
            return events;
        }
        return events.stream()
                .filter(event -> EventId.parse(event.id()).compareTo(lastSeen) > 0)
                .toList();
    }

    private static StreamEvent dispatched(RunState run, int order, RunState.Step row) {
        String nodeId = null;
        String procedureId = null;
        if (order <= run.plan().size()) {
            nodeId = run.plan().get(order - 1).nodeId();
            procedureId = run.plan().get(order - 1).procedureId();
        } else if (row != null) {
            nodeId = row.nodeId();
            procedureId = row.procedureId();
        }
        JsonObjectBuilder data = JsonCodecs.JSON.createObjectBuilder().add("order", order);
        text(data, "nodeId", nodeId);
        text(data, "procedureId", procedureId);
        return new StreamEvent(EventId.dispatched(order).toString(), "dispatched", data.build());
    }

    /** One {@code retrying} per failed attempt that was retried: from the row once stored, else from the run's retry. */
    private static void retries(Retrying retrying, int order, RunState.Step row, List<StreamEvent> events) {
        int failed;
        String reason;
        Instant next = null;
        if (row != null) {
            failed = row.attempts() - 1;
            reason = row.lastFailureReason();
        } else if (retrying != null && retrying.order() == order) {
            failed = retrying.failedAttempts();
            reason = retrying.lastFailureReason();
            next = retrying.nextAttemptAt();
        } else {
            return;
        }
        for (int attempt = 1; attempt <= failed; attempt++) {
            boolean latest = attempt == failed;
            JsonObjectBuilder data =
                    JsonCodecs.JSON.createObjectBuilder().add("order", order).add("failedAttempts", attempt);
            text(data, "lastFailureReason", latest ? reason : null);
            text(data, "nextAttemptAt", latest && next != null ? next.toString() : null);
            events.add(new StreamEvent(EventId.retrying(order, attempt).toString(), "retrying", data.build()));
        }
    }

    /** Stored ApElement JSON as JSON (not a string); null stays null, unreadable text is sent as a string. */
    private static JsonValue embedded(String json) {
        if (json == null) {
            return JsonValue.NULL;
        }
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(json))) {
            return reader.readValue();
        } catch (JsonException e) {
            return JsonCodecs.JSON.createValue(json);
        }
    }

    static void text(JsonObjectBuilder json, String name, String value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }

    private static void number(JsonObjectBuilder json, String name, Integer value) {
        if (value == null) {
            json.addNull(name);
        } else {
            json.add(name, value);
        }
    }
}
