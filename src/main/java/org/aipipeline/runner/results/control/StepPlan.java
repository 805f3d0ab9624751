package org.aipipeline.runner.results.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The steps of a run as its deadlines need them, stored with the run ({@code step_plan}) so that a
 * restarted runner, or another instance, can fail a run whose node never answers and say in words
 * which node, procedure and wait it was. One line per step, fields separated by tabs; tabs,
 * newlines and backslashes inside a field are escaped. A step with a retry policy has a fifth field
 * ({@link RetryPolicy#text()}); plans written before retries have four.
 */
public record StepPlan(List<Step> steps) {

    /** One step: how long the runner waits for its report, what it is, and how it is retried (null: never). */
    public record Step(
            int timeoutSeconds, String nodeId, String procedureId, String outputValueSelector, RetryPolicy retry) {
        public Step {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(procedureId, "procedureId");
        }

        /** A step that is never retried. */
        public Step(int timeoutSeconds, String nodeId, String procedureId, String outputValueSelector) {
            this(timeoutSeconds, nodeId, procedureId, outputValueSelector, null);
        }

        /** Whether attempt {@code failedAttempt} failing with {@code code} leads to another attempt. */
        public boolean retriesAfter(int failedAttempt, int code) {
            return retry != null && retry.retries(failedAttempt, code);
        }

        /** Whether a report naming this node and procedure is about this step. */
        public boolean names(String reportedNodeId, String reportedProcedureId) {
            return nodeId.equals(reportedNodeId) && procedureId.equals(reportedProcedureId);
        }
    }

    public StepPlan {
        steps = List.copyOf(steps);
    }

    /** The step of order {@code order} (1-based). */
    public Step step(int order) {
        return steps.get(order - 1);
    }

    /** The node/procedure a run starts with: how runs are told apart on {@code /metrics}. */
    public String entry() {
        return steps.get(0).nodeId() + "/" + steps.get(0).procedureId();
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        for (Step step : steps) {
            if (text.length() > 0) {
                text.append('\n');
            }
            text.append(step.timeoutSeconds())
                    .append('\t')
                    .append(escape(step.nodeId()))
                    .append('\t')
                    .append(escape(step.procedureId()))
                    .append('\t')
                    .append(step.outputValueSelector() == null ? "" : escape(step.outputValueSelector()));
            if (step.retry() != null) {
                text.append('\t').append(step.retry().text());
            }
        }
        return text.toString();
    }

    /** Reads what {@link #text()} wrote. */
    public static StepPlan parse(String text) {
        List<Step> steps = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String[] fields = line.split("\t", -1);
            if (fields.length != 4 && fields.length != 5) {
                throw new IllegalArgumentException("Not a step plan line: " + line);
            }
            String selector = unescape(fields[3]);
            steps.add(new Step(
                    Integer.parseInt(fields[0]),
                    unescape(fields[1]),
                    unescape(fields[2]),
                    selector.isEmpty() ? null : selector,
                    fields.length == 5 ? RetryPolicy.parse(fields[4]) : null));
        }
        return new StepPlan(steps);
    }

    /** A field as {@link #text()} writes it. */
    static String escape(String field) {
        return field.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n");
    }

    private static String unescape(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(next == 't' ? '\t' : next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
