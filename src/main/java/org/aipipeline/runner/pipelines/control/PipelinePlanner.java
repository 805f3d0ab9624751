package org.aipipeline.runner.pipelines.control;

import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.apscheme.ApFile;
import org.aipipeline.runner.apscheme.ApSchemeException;
import org.aipipeline.runner.apscheme.Fit;
import org.aipipeline.runner.apscheme.Mismatch;
import org.aipipeline.runner.apscheme.SchemeCompatibility;
import org.aipipeline.runner.apscheme.ValueSelector;
import org.aipipeline.runner.files.entity.StoredFile;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.pipelines.control.PipelinePlan.PlannedRun;
import org.aipipeline.runner.pipelines.control.PipelinePlan.PlannedStep;
import org.aipipeline.runner.pipelines.entity.ProcedureIdentifier;
import org.aipipeline.runner.pipelines.entity.RunPipelineStep;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.results.control.RetryPolicy;

/**
 * Decides whether a pipeline request can run, and how: it returns a {@link PipelinePlan} or throws
 * {@link RunnerException.Invalid} listing every problem at once, each with the path of the field
 * ({@code steps[1].procedureId}, {@code input.properties.image.id}, {@code inputs[3]}).
 *
 * <p>Pure: it touches nothing but the two lookups it is given, stores nothing and sends nothing,
 * so every rule is tested in milliseconds. The File Service is asked once per request, for the
 * files of all inputs together, so a batch of 10,000 inputs costs one call.
 */
public final class PipelinePlanner {

    /** Enough to fix a request; a batch of 10,000 bad inputs needs no 10,000-line answer. */
    static final int MAX_ERRORS = 200;
    /** The wait before the first retry when a step's retry policy names none. */
    static final double DEFAULT_BACKOFF_SECONDS = 1;

    private static final ApElementJson AP_JSON = new ApElementJson();

    private final ProcedureCatalog catalog;
    private final OwnedFiles files;
    private final int maxSteps;
    private final int maxInputs;
    private final StepTimeouts timeouts;

    public PipelinePlanner(
            ProcedureCatalog catalog, OwnedFiles files, int maxSteps, int maxInputs, StepTimeouts timeouts) {
        this.catalog = catalog;
        this.files = files;
        this.maxSteps = maxSteps;
        this.maxInputs = maxInputs;
        this.timeouts = timeouts;
    }

    /** With the standard step timeouts. */
    public PipelinePlanner(ProcedureCatalog catalog, OwnedFiles files, int maxSteps, int maxInputs) {
        this(catalog, files, maxSteps, maxInputs, StepTimeouts.STANDARD);
    }

    /** A single run; errors about the input are named {@code input...}. */
    public PipelinePlan planOne(UUID userId, JsonValue input, List<RequestedStep> steps) {
        // singletonList, not List.of: a body without "input" arrives as null and is reported as such.
        return plan(userId, Collections.singletonList(input), steps, false, 1);
    }

    /**
     * The part of a rerun that runs: {@code steps} numbered from {@code firstOrder} (the reused
     * steps before it count towards the step limit), starting on {@code input}, the stored input
     * of step {@code firstOrder}. Errors name {@code steps[i]} (the i-th step that runs) and {@code input}.
     */
    public PipelinePlan planFrom(UUID userId, JsonValue input, List<RequestedStep> steps, int firstOrder) {
        return plan(userId, Collections.singletonList(input), steps, false, firstOrder);
    }

    /** A batch; errors about an input are named {@code inputs[i]...}. */
    public PipelinePlan planBatch(UUID userId, List<JsonValue> inputs, List<RequestedStep> steps) {
        return plan(userId, inputs == null ? List.of() : inputs, steps, true, 1);
    }

    private PipelinePlan plan(
            UUID userId, List<JsonValue> rawInputs, List<RequestedStep> requested, boolean batch, int firstOrder) {
        Errors errors = new Errors();
        List<RequestedStep> steps = requested == null ? List.of() : requested;
        if (batch && rawInputs.isEmpty()) {
            errors.add("inputs", "at least one input is required");
        } else if (batch && rawInputs.size() > maxInputs) {
            errors.add("inputs", "at most " + maxInputs + " inputs are allowed in one batch, got " + rawInputs.size());
        }
        List<Resolved> resolved = resolveSteps(steps, firstOrder - 1, errors);

        List<ApElement> inputs = new ArrayList<>(rawInputs.size());
        for (int i = 0; i < rawInputs.size() && !errors.full(); i++) {
            inputs.add(parseInput(rawInputs.get(i), inputField(batch, i), errors));
        }
        Resolved first = resolved.isEmpty() ? null : resolved.get(0);
        for (int i = 0; i < inputs.size(); i++) {
            ApElement input = inputs.get(i);
            if (input != null && first != null && first.procedure != null) {
                reportMismatches(
                        SchemeCompatibility.fits(input, first.procedure.input()), inputField(batch, i), errors);
            }
        }
        Map<UUID, StoredFile> storedFiles = checkFiles(userId, inputs, first, batch, errors);
        errors.throwIfAny();

        List<PlannedStep> planned = new ArrayList<>(resolved.size());
        for (int i = 0; i < resolved.size(); i++) {
            RequestedStep step = steps.get(i);
            String selector = step.outputValueSelector() == null
                            || step.outputValueSelector().isEmpty()
                    ? null
                    : step.outputValueSelector();
            planned.add(new PlannedStep(
                    new ProcedureIdentifier(step.nodeId(), step.procedureId(), firstOrder + i, selector),
                    resolved.get(i).procedure,
                    resolved.get(i).timeoutSeconds,
                    resolved.get(i).retry));
        }
        List<ProcedureIdentifier> identifiers =
                planned.stream().map(PlannedStep::identifier).toList();
        List<PlannedRun> runs = new ArrayList<>(inputs.size());
        for (ApElement input : inputs) {
            UUID pipelineId = UUID.randomUUID();
            RunPipelineStep firstStep = new RunPipelineStep(
                    pipelineId,
                    userId,
                    identifiers.get(0),
                    input,
                    identifiers.subList(1, identifiers.size()),
                    FileInInput.references(input, storedFiles));
            runs.add(new PlannedRun(pipelineId, input, firstStep));
        }
        return new PipelinePlan(userId, planned, runs);
    }

    /** A step and what it resolved to; null parts did not resolve (already reported) or were not asked for. */
    private record Resolved(
            RegisteredProcedure procedure, ApElement selectedOutput, Integer timeoutSeconds, RetryPolicy retry) {}

    /** {@code before}: steps of the pipeline before these (a rerun's reused ones); they count towards the limit. */
    private List<Resolved> resolveSteps(List<RequestedStep> steps, int before, Errors errors) {
        if (steps.isEmpty()) {
            errors.add("steps", "at least one step is required");
            return List.of();
        }
        if (before + steps.size() > maxSteps) {
            errors.add(
                    "steps",
                    "at most " + maxSteps + " steps are allowed, got " + (before + steps.size())
                            + (before == 0 ? "" : " (" + before + " reused and " + steps.size() + " to run)"));
            return List.of();
        }
        List<Resolved> resolved = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            resolved.add(resolveStep(steps.get(i), "steps[" + i + "]", errors));
        }
        for (int i = 0; i + 1 < resolved.size(); i++) {
            ApElement output = resolved.get(i).selectedOutput;
            RegisteredProcedure next = resolved.get(i + 1).procedure;
            if (output == null || next == null) {
                continue;
            }
            Fit fit = SchemeCompatibility.fits(output, next.input());
            if (!fit.ok()) {
                String selector = steps.get(i).outputValueSelector();
                String what = selector == null || selector.isEmpty()
                        ? "the output of steps[" + i + "]"
                        : "the output of steps[" + i + "] selected by '" + selector + "'";
                for (Mismatch mismatch : fit.mismatches()) {
                    errors.add(
                            "steps[" + (i + 1) + "]",
                            what + " does not fit the input of " + next.nodeId() + "/" + next.procedureId() + ": "
                                    + mismatch);
                }
            }
        }
        return resolved;
    }

    private Resolved resolveStep(RequestedStep step, String field, Errors errors) {
        if (step == null) {
            errors.add(field, "must be a step object");
            return new Resolved(null, null, null, null);
        }
        StringBuilder timeoutProblem = new StringBuilder();
        Integer timeoutSeconds = timeouts.secondsFor(step.stepTimeoutSeconds(), timeoutProblem);
        if (timeoutSeconds == null) {
            errors.add(field + ".stepTimeoutSeconds", timeoutProblem.toString());
        }
        RetryPolicy retry = retryPolicy(step.retry(), field + ".retry", errors);
        boolean named = true;
        if (step.nodeId() == null || step.nodeId().isBlank()) {
            errors.add(field + ".nodeId", "must not be blank");
            named = false;
        }
        if (step.procedureId() == null || step.procedureId().isBlank()) {
            errors.add(field + ".procedureId", "must not be blank");
            named = false;
        }
        ValueSelector selector = null;
        try {
            selector = ValueSelector.parse(step.outputValueSelector());
        } catch (ApSchemeException e) {
            errors.add(field + ".outputValueSelector", e.reason());
        }
        if (!named) {
            return new Resolved(null, null, timeoutSeconds, retry);
        }
        RegisteredProcedure procedure =
                catalog.procedure(step.nodeId(), step.procedureId()).orElse(null);
        if (procedure == null) {
            if (catalog.knowsNode(step.nodeId())) {
                errors.add(
                        field + ".procedureId",
                        "node '" + step.nodeId() + "' has no procedure '" + step.procedureId() + "'");
            } else {
                errors.add(field + ".nodeId", "unknown node '" + step.nodeId() + "'");
            }
            return new Resolved(null, null, timeoutSeconds, retry);
        }
        if (!procedure.available()) {
            errors.add(
                    field + ".nodeId",
                    "node '" + step.nodeId() + "' is not available (it has not advertised recently)");
        }
        if (selector == null) {
            return new Resolved(procedure, null, timeoutSeconds, retry);
        }
        try {
            return new Resolved(procedure, selector.applyToScheme(procedure.output()), timeoutSeconds, retry);
        } catch (ApSchemeException e) {
            errors.add(
                    field + ".outputValueSelector",
                    "'" + step.outputValueSelector()
                            + "' does not resolve on the output of " + step.nodeId() + "/" + step.procedureId() + ": "
                            + (e.path().isEmpty() ? e.reason() : e.path() + ": " + e.reason()));
            return new Resolved(procedure, null, timeoutSeconds, retry);
        }
    }

    /** The step's retry policy, or null when it asked for none or (reported) asked wrongly. */
    private static RetryPolicy retryPolicy(RequestedStep.Retry retry, String field, Errors errors) {
        if (retry == null) {
            return null;
        }
        int before = errors.size();
        Integer maxAttempts = retry.maxAttempts();
        if (maxAttempts == null) {
            errors.add(field + ".maxAttempts", "is required: how many attempts in all, 1.." + RetryPolicy.MAX_ATTEMPTS);
        } else if (maxAttempts < 1 || maxAttempts > RetryPolicy.MAX_ATTEMPTS) {
            errors.add(field + ".maxAttempts", "must be 1.." + RetryPolicy.MAX_ATTEMPTS + ", got " + maxAttempts);
        }
        double backoff = retry.backoffSeconds() == null ? DEFAULT_BACKOFF_SECONDS : retry.backoffSeconds();
        if (!(backoff >= 0 && backoff <= RetryPolicy.MAX_BACKOFF_SECONDS)) {
            errors.add(
                    field + ".backoffSeconds",
                    "must be 0.." + (int) RetryPolicy.MAX_BACKOFF_SECONDS
                            + " seconds (the wait before the first retry; it doubles for each later one), got "
                            + retry.backoffSeconds());
        }
        List<Integer> codes = retry.onCodes() == null ? List.of() : retry.onCodes();
        for (int i = 0; i < codes.size(); i++) {
            Integer code = codes.get(i);
            if (code == null || code < 100 || code > 599) {
                errors.add(field + ".onCodes[" + i + "]", "must be a failure code 100..599, got " + code);
            }
        }
        return errors.size() > before ? null : new RetryPolicy(maxAttempts, backoff, codes);
    }

    private static ApElement parseInput(JsonValue raw, String field, Errors errors) {
        if (raw == null || raw == JsonValue.NULL) {
            errors.add(field, "an ApElement is required");
            return null;
        }
        try {
            return AP_JSON.parse(raw, field);
        } catch (ApSchemeException e) {
            errors.add(e.path().isEmpty() ? field : e.path(), e.reason());
            return null;
        }
    }

    private static void reportMismatches(Fit fit, String field, Errors errors) {
        for (Mismatch mismatch : fit.mismatches()) {
            errors.add(
                    mismatch.path().isEmpty() ? field : field + "." + mismatch.path(),
                    "does not fit the first procedure's input: " + mismatch.reason());
        }
    }

    /**
     * Every ApFile of every input must be a file of the caller, with a content type that both the
     * ApFile and the procedure's scheme at the same place accept. Returns the files found by id.
     */
    private Map<UUID, StoredFile> checkFiles(
            UUID userId, List<ApElement> inputs, Resolved first, boolean batch, Errors errors) {
        List<List<FileInInput>> perInput = new ArrayList<>(inputs.size());
        Set<UUID> ids = new LinkedHashSet<>();
        for (int i = 0; i < inputs.size(); i++) {
            ApElement input = inputs.get(i);
            ApElement scheme = first == null || first.procedure == null ? null : first.procedure.input();
            List<FileInInput> found =
                    input == null ? List.of() : FileInInput.collect(input, scheme, inputField(batch, i));
            perInput.add(found);
            for (FileInInput file : found) {
                if (ApFile.NIL_ID.equals(file.file().id())) {
                    errors.add(file.path() + ".id", "an ApFile input must name a file (the nil id is a scheme)");
                } else {
                    ids.add(file.file().id());
                }
            }
        }
        if (ids.isEmpty()) {
            return Map.of();
        }
        Map<UUID, StoredFile> stored = FileInInput.usableBy(userId, files.find(userId, ids));
        for (List<FileInInput> found : perInput) {
            for (FileInInput file : found) {
                if (ApFile.NIL_ID.equals(file.file().id())) {
                    continue;
                }
                StoredFile storedFile = stored.get(file.file().id());
                if (storedFile == null) {
                    errors.add(file.path() + ".id", "no file " + file.file().id() + " among your files");
                } else {
                    checkContentType(file, storedFile, errors);
                }
            }
        }
        return stored;
    }

    private static void checkContentType(FileInInput file, StoredFile stored, Errors errors) {
        String actual = stored.contentType() == null ? "" : stored.contentType();
        if (!file.file().contentType().isEmpty() && !file.file().contentType().equalsIgnoreCase(actual)) {
            errors.add(
                    file.path() + ".contentType",
                    "the file's content type is '" + actual + "', not '"
                            + file.file().contentType() + "'");
        }
        List<String> accepted = new ArrayList<>(file.file().supportedContentTypes());
        if (file.scheme() != null) {
            accepted.addAll(file.scheme().supportedContentTypes());
        }
        accepted.removeIf(String::isBlank);
        if (!accepted.isEmpty() && accepted.stream().noneMatch(actual::equalsIgnoreCase)) {
            errors.add(
                    file.path() + ".contentType",
                    "content type '" + actual + "' is not supported; accepted: "
                            + String.join(", ", new LinkedHashSet<>(accepted)));
        }
    }

    private static String inputField(boolean batch, int index) {
        return batch ? "inputs[" + index + "]" : "input";
    }

    /** The problems found so far, in the order found; at most {@link #MAX_ERRORS}. */
    private static final class Errors {
        private final List<FieldError> list = new ArrayList<>();
        private int dropped;

        void add(String field, String message) {
            if (list.size() < MAX_ERRORS) {
                list.add(new FieldError(field, message));
            } else {
                dropped++;
            }
        }

        int size() {
            return list.size() + dropped;
        }

        boolean full() {
            return list.size() >= MAX_ERRORS;
        }

        void throwIfAny() {
            if (list.isEmpty()) {
                return;
            }
            String detail = "The pipeline cannot run: " + list.size() + (dropped > 0 ? "+" + dropped : "")
                    + " problem(s), see errors";
            throw new RunnerException.Invalid(detail, list);
        }
    }
}
