package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.PipelineResults;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.control.StoredRun;

/**
 * Re-running a finished pipeline from one of its steps (issue 13 part 3): the old run is read
 * (its owner's only), {@link RerunChain} decides what is reused and what runs, the
 * {@link PipelinePlanner} validates the part that runs exactly as for a new run, and the
 * {@link PipelineDispatcher} records and starts it like any run. A preview (dry run) does the same
 * reading and validating, and stores and sends nothing.
 */
@ApplicationScoped
public class Reruns {

    @Inject
    PipelineResults results;

    @Inject
    PipelineStarts starts;

    @Inject
    NodeCatalog nodes;

    @Inject
    PipelineDispatcher dispatcher;

    /** A validated rerun, ready to dispatch: the old run, what it reuses, and the plan of what runs. */
    public record Rerun(UUID rerunOf, String initialInputJson, RerunChain chain, PipelinePlan plan) {

        public UUID pipelineId() {
            return plan.runs().get(0).pipelineId();
        }
    }

    /**
     * What a dry run answers: the chain (null when {@code fromOrder} itself is invalid), whether
     * each step that runs is on an available node now, and every problem found.
     */
    public record Preview(
            UUID rerunOf, Integer fromOrder, RerunChain chain, List<Boolean> nodeAvailable, List<FieldError> errors) {

        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /**
     * Validates a rerun of the caller's pipeline {@code pipelineId}.
     *
     * @throws RunnerException.NotFound no such pipeline, or not the caller's
     * @throws RunnerException.Conflict the pipeline is still Running, or was recorded without a step plan
     * @throws RunnerException.Invalid  {@code fromOrder} or the part that runs is invalid (every problem, with paths)
     */
    public Rerun plan(UUID userId, UUID pipelineId, Integer fromOrder, List<RequestedStep> steps) {
        StoredRun old = results.stored(userId, pipelineId);
        RerunChain chain = chainOf(old, fromOrder, steps);
        PipelinePlan plan =
                starts.planFrom(userId, JsonCodecs.readStored(chain.inputJson()), chain.toRun(), chain.fromOrder());
        return new Rerun(pipelineId, old.initialInputJson(), chain, plan);
    }

    /** As {@link #plan}, with every validation problem listed instead of thrown; stores and sends nothing. */
    public Preview preview(UUID userId, UUID pipelineId, Integer fromOrder, List<RequestedStep> steps) {
        StoredRun old = results.stored(userId, pipelineId);
        RerunChain chain;
        try {
            chain = chainOf(old, fromOrder, steps);
        } catch (RunnerException.Invalid invalid) {
            return new Preview(pipelineId, fromOrder, null, List.of(), invalid.fieldErrors());
        }
        List<FieldError> errors = List.of();
        try {
            starts.planFrom(userId, JsonCodecs.readStored(chain.inputJson()), chain.toRun(), chain.fromOrder());
        } catch (RunnerException.Invalid invalid) {
            errors = invalid.fieldErrors();
        }
        ProcedureCatalog catalog = nodes.forSteps(chain.toRun());
        List<Boolean> available = new ArrayList<>(chain.toRun().size());
        for (RequestedStep step : chain.toRun()) {
            available.add(step != null
                    && step.nodeId() != null
                    && step.procedureId() != null
                    && catalog.procedure(step.nodeId(), step.procedureId())
                            .map(RegisteredProcedure::available)
                            .orElse(false));
        }
        return new Preview(pipelineId, chain.fromOrder(), chain, available, errors);
    }

    /**
     * Records the rerun and hands its first step to run to the publisher; with a keyed request the
     * key is claimed in the same transaction, with {@code answerBody} as the answer to replay.
     *
     * @throws IdempotencyKeys.Taken a concurrent submission with the key committed first (nothing was recorded)
     */
    public void dispatch(Rerun rerun, IdempotentRequest keyed, String answerBody) {
        RerunChain chain = rerun.chain();
        RunRecords.NewRerun record = new RunRecords.NewRerun(
                rerun.pipelineId(), rerun.rerunOf(), chain.fromOrder(), rerun.initialInputJson(), chain.reused());
        dispatcher.dispatchRerun(
                rerun.plan(),
                chain.chain(rerun.plan()),
                record,
                keyed,
                keyed == null ? null : new IdempotencyKeys.Original(202, answerBody, rerun.pipelineId(), null));
    }

    private RerunChain chainOf(StoredRun old, Integer fromOrder, List<RequestedStep> steps) {
        StepPlan plan = results.stepPlanOf(old.pipelineId())
                .orElseThrow(() -> new RunnerException.Conflict("Pipeline " + old.pipelineId()
                        + " was recorded before runs kept their step plan, so it cannot be "
                        + "re-run; start it again with POST /Pipelines"));
        return RerunChain.of(
                old.pipelineId().toString(), old.status(), old.initialInputJson(), plan, old.steps(), fromOrder, steps);
    }
}
