package org.aipipeline.runner.results.control;

import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * Reading results, always scoped to their owner: someone else's result or batch is "not found",
 * never "forbidden", so ids of other users' runs are not revealed. A page costs a fixed number of
 * queries, each an index range scan or a primary-key lookup whatever the listing's size (see
 * {@link ResultPages}); counts never scan the rows they count (see {@link ResultCounts}).
 */
@Stateless
public class PipelineResults {

    @PersistenceContext
    EntityManager em;

    @Inject
    ResultPages pages;

    @Inject
    ResultCounts counts;

    /**
     * The caller's results, all or of one status ({@link ResultListing#ofUser}, the listing
     * {@code start} was read for), newest first; {@code totalCount} exact up to a bound, then estimated.
     */
    public ResultsPage page(UUID userId, ResultListing listing, PageStart start) {
        return pages.read(listing, userId, start, counts.ofUser(userId, listing.status()));
    }

    /** The caller's result of a pipeline. @throws RunnerException.NotFound absent or someone else's */
    public ResultWithSteps get(UUID userId, UUID pipelineId) {
        PipelineResult result = byPipelineId(pipelineId)
                .filter(found -> found.getUserId().equals(userId))
                .orElseThrow(() -> new RunnerException.NotFound("No pipeline result for pipeline " + pipelineId));
        return pages.withSteps(List.of(result)).get(0);
    }

    /**
     * Nothing unless the run is the caller's: one indexed probe of its owner, for endpoints that
     * answer about a run without showing it.
     *
     * @throws RunnerException.NotFound absent or someone else's
     */
    public void requireOwned(UUID userId, UUID pipelineId) {
        boolean owned = em.createQuery(
                        "select r.userId from PipelineResult r where r.pipelineId = :pipelineId", UUID.class)
                .setParameter("pipelineId", pipelineId)
                .getResultStream()
                .anyMatch(userId::equals);
        if (!owned) {
            throw new RunnerException.NotFound("No pipeline result for pipeline " + pipelineId);
        }
    }

    /** As {@link #get}, as values: what the run side reads of a run. @throws RunnerException.NotFound absent or someone else's */
    public StoredRun stored(UUID userId, UUID pipelineId) {
        return StoredRun.of(get(userId, pipelineId));
    }

    /**
     * How the pipeline's steps were dispatched ({@link StepPlan}); empty for runs recorded before
     * step plans (V8). Read apart from the result, so reading results never carries it.
     */
    public Optional<StepPlan> stepPlanOf(UUID pipelineId) {
        return em.createNativeQuery("select step_plan from pipeline_results where pipeline_id = ?")
                .setParameter(1, pipelineId)
                .getResultStream()
                .filter(Objects::nonNull)
                .map(text -> StepPlan.parse((String) text))
                .findFirst();
    }

    /** Where a pipeline stands, whoever owns it: a cheap probe for waiting on it. */
    public Optional<RunStatus> statusOf(UUID pipelineId) {
        return em.createQuery("select r.status from PipelineResult r where r.pipelineId = :pipelineId", RunStatus.class)
                .setParameter("pipelineId", pipelineId)
                .getResultStream()
                .findFirst();
    }

    /**
     * The caller's batch with its counts and one page of its results in creation order (the
     * order of the batch's inputs when the run side creates them in that order). The page's
     * {@code totalCount} is the batch's {@code totalPipelineCount}: its results are all created
     * with it.
     *
     * @throws RunnerException.NotFound absent or someone else's
     */
    public BatchWithResults batch(UUID userId, UUID batchId, PageStart start) {
        PipelineBatch batch = em.find(PipelineBatch.class, batchId);
        if (batch == null || !batch.getUserId().equals(userId)) {
            throw new RunnerException.NotFound("No pipeline batch with id " + batchId);
        }
        BatchCounts batchCounts = counts.ofBatch(batch);
        ResultsPage results =
                pages.read(ResultListing.BATCH_OLDEST_FIRST, batchId, start, new TotalCount(batchCounts.total(), true));
        return new BatchWithResults(batch, batchCounts, results);
    }

    /** Runs with their steps, whoever owns them (the caller checked): two queries however many. */
    public List<ResultWithSteps> withSteps(Collection<UUID> pipelineIds) {
        if (pipelineIds.isEmpty()) {
            return List.of();
        }
        return pages.withSteps(em.createQuery(
                        "select r from PipelineResult r where r.pipelineId in :pipelineIds", PipelineResult.class)
                .setParameter("pipelineIds", List.copyOf(pipelineIds))
                .getResultList());
    }

    private Optional<PipelineResult> byPipelineId(UUID pipelineId) {
        return em.createQuery("select r from PipelineResult r where r.pipelineId = :pipelineId", PipelineResult.class)
                .setParameter("pipelineId", pipelineId)
                .getResultStream()
                .findFirst();
    }
}
