package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonValue;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.aipipeline.runner.callbacks.control.CallbackTargets;
import org.aipipeline.runner.files.control.FileServiceClient;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.results.control.RunCallback;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The three ways to start pipelines, each: plan (validate everything, touching nothing), then
 * dispatch. Only a valid request stores or sends anything.
 */
@ApplicationScoped
public class PipelineStarts {

    private static final System.Logger LOG = System.getLogger(PipelineStarts.class.getName());

    @Inject
    NodeCatalog nodes;

    @Inject
    FileServiceClient fileService;

    @Inject
    PipelineDispatcher dispatcher;

    @Inject
    @ConfigProperty(name = "pipelines.max-steps", defaultValue = "50")
    int maxSteps;

    @Inject
    @ConfigProperty(name = "webhooks.allow-private-targets", defaultValue = "false")
    boolean allowPrivateTargets;

    @Inject
    @ConfigProperty(name = "pipelines.batch.max-inputs", defaultValue = "10000")
    int maxInputs;

    @Inject
    @ConfigProperty(name = "pipelines.step-timeout.default", defaultValue = "PT1H")
    Duration defaultStepTimeout;

    @Inject
    @ConfigProperty(name = "pipelines.step-timeout.max", defaultValue = "P1D")
    Duration maxStepTimeout;

    /** Validates and plans without dispatching (the awaited path registers its waiter in between). */
    public PipelinePlan planOne(UUID userId, JsonValue input, List<RequestedStep> steps) {
        return planner(steps).planOne(userId, input, steps);
    }

    /** As {@link #planOne(UUID, JsonValue, List)}, the run reporting to a callback; its problems are listed with the rest. */
    public PipelinePlan planOne(
            UUID userId, JsonValue input, List<RequestedStep> steps, CallbackTargets.Requested callback) {
        return withCallback(callback, () -> planner(steps).planOne(userId, input, steps));
    }

    /**
     * Plans, and checks the callback (when asked for) beside it: a 422 lists the callback's problems
     * after the planner's, and a valid plan carries the callback.
     */
    private PipelinePlan withCallback(CallbackTargets.Requested callback, Supplier<PipelinePlan> planning) {
        List<FieldError> callbackErrors = new ArrayList<>();
        RunCallback checked = new CallbackTargets(allowPrivateTargets).check(callback, callbackErrors);
        PipelinePlan plan;
        try {
            plan = planning.get();
        } catch (RunnerException.Invalid invalid) {
            if (callbackErrors.isEmpty()) {
                throw invalid;
            }
            List<FieldError> all = new ArrayList<>(invalid.fieldErrors());
            all.addAll(callbackErrors);
            throw new RunnerException.Invalid(
                    "The pipeline cannot run: " + all.size() + " problem(s), see errors", all);
        }
        if (!callbackErrors.isEmpty()) {
            throw new RunnerException.Invalid(
                    "The pipeline cannot run: " + callbackErrors.size() + " problem(s), see errors", callbackErrors);
        }
        return plan.withCallback(checked);
    }

    /** Validates and plans the part of a rerun that runs, numbered from {@code firstOrder}, without dispatching. */
    public PipelinePlan planFrom(UUID userId, JsonValue input, List<RequestedStep> steps, int firstOrder) {
        return planner(steps).planFrom(userId, input, steps, firstOrder);
    }

    /** Records the run and hands its first step to the publisher; answers once recorded. */
    public void dispatch(PipelinePlan plan) {
        dispatcher.dispatch(plan);
    }

    /**
     * As {@link #dispatch(PipelinePlan)}, claiming the request's Idempotency-Key in the same transaction.
     *
     * @throws IdempotencyKeys.Taken a concurrent submission with the key committed first (nothing was recorded)
     */
    public void dispatch(PipelinePlan plan, IdempotentRequest keyed, String answerBody) {
        dispatcher.dispatch(
                plan,
                null,
                keyed,
                keyed == null
                        ? null
                        : new IdempotencyKeys.Original(
                                202, answerBody, plan.runs().get(0).pipelineId(), null));
    }

    /**
     * Validates the whole batch, records it and starts publishing; returns the batch id once
     * recorded. With a keyed request (else null) the key is claimed in the same transaction, with
     * {@code answerBody} of the batch as the answer to replay.
     *
     * @throws IdempotencyKeys.Taken a concurrent submission with the key committed first (nothing was recorded)
     */
    public BatchStarted startBatch(
            UUID userId,
            List<JsonValue> inputs,
            List<RequestedStep> steps,
            CallbackTargets.Requested callback,
            IdempotentRequest keyed,
            Function<BatchStarted, String> answerBody) {
        long start = System.nanoTime();
        PipelinePlan plan = withCallback(callback, () -> planner(steps).planBatch(userId, inputs, steps));
        long planned = System.nanoTime();
        UUID batchId = UUID.randomUUID();
        BatchStarted started = new BatchStarted(batchId, userId, plan.runs().size());
        dispatcher.dispatch(
                plan,
                batchId,
                keyed,
                keyed == null ? null : new IdempotencyKeys.Original(202, answerBody.apply(started), null, batchId));
        // Batches must be accepted in a second or two: say where the time went.
        LOG.log(
                Level.INFO,
                "Batch {0} of {1} runs: planned in {2} ms, recorded in {3} ms",
                batchId,
                plan.runs().size(),
                (planned - start) / 1_000_000,
                (System.nanoTime() - planned) / 1_000_000);
        return started;
    }

    /** What {@code POST /Pipelines/Batch} answers. */
    public record BatchStarted(UUID pipelineBatchId, UUID userId, int totalPipelineCount) {}

    private PipelinePlanner planner(List<RequestedStep> steps) {
        ProcedureCatalog catalog = nodes.forSteps(steps == null ? List.of() : steps);
        return new PipelinePlanner(
                catalog,
                (userId, ids) -> fileService.getMany(userId, ids, false),
                maxSteps,
                maxInputs,
                new StepTimeouts(defaultStepTimeout, maxStepTimeout));
    }
}
