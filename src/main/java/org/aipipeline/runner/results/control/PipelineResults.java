package org.aipipeline.runner.results.control;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * Reading results, always scoped to their owner: someone else's result or batch is "not found",
 * never "forbidden", so ids of other users' runs are not revealed. A page of results costs a
 * fixed number of queries (count, page, the page's steps in one {@code in (...)} query), never
 * one per result; batch counts come from one grouped count, never from loading the results.
 */
@Stateless
public class PipelineResults {

    @PersistenceContext
    EntityManager em;

    /** The caller's results, newest first. */
    public Page<ResultWithSteps> page(UUID userId, PageRequest request) {
        long total = em.createQuery("select count(r) from PipelineResult r where r.userId = :userId", Long.class)
                .setParameter("userId", userId)
                .getSingleResult();
        List<PipelineResult> results = em.createQuery("select r from PipelineResult r where r.userId = :userId "
                        + "order by r.createdAt desc, r.id desc", PipelineResult.class)
                .setParameter("userId", userId)
                .setFirstResult(request.offset())
                .setMaxResults(request.pageSize())
                .getResultList();
        return Page.of(withSteps(results), request, total);
    }

    /** The caller's result of a pipeline. @throws RunnerException.NotFound absent or someone else's */
    public ResultWithSteps get(UUID userId, UUID pipelineId) {
        PipelineResult result = byPipelineId(pipelineId)
                .filter(found -> found.getUserId().equals(userId))
                .orElseThrow(() -> new RunnerException.NotFound("No pipeline result for pipeline " + pipelineId));
        return withSteps(List.of(result)).get(0);
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
     * order of the batch's inputs when the run side creates them in that order).
     *
     * @throws RunnerException.NotFound absent or someone else's
     */
    public BatchWithResults batch(UUID userId, UUID batchId, PageRequest request) {
        PipelineBatch batch = em.find(PipelineBatch.class, batchId);
        if (batch == null || !batch.getUserId().equals(userId)) {
            throw new RunnerException.NotFound("No pipeline batch with id " + batchId);
        }
        BatchCounts counts = countsOf(batchId);
        List<PipelineResult> results = em.createQuery("select r from PipelineResult r where r.batchId = :batchId "
                        + "order by r.createdAt, r.id", PipelineResult.class)
                .setParameter("batchId", batchId)
                .setFirstResult(request.offset())
                .setMaxResults(request.pageSize())
                .getResultList();
        return new BatchWithResults(batch, counts, Page.of(withSteps(results), request, counts.total()));
    }

    private BatchCounts countsOf(UUID batchId) {
        long succeeded = 0;
        long failed = 0;
        long total = 0;
        for (Object[] row : em.createQuery("select r.status, count(r) from PipelineResult r where r.batchId = :batchId "
                + "group by r.status", Object[].class).setParameter("batchId", batchId).getResultList()) {
            long count = ((Number) row[1]).longValue();
            total += count;
            if (row[0] == RunStatus.Succeeded) {
                succeeded = count;
            } else if (row[0] == RunStatus.Failed) {
                failed = count;
            }
        }
        return new BatchCounts(total, succeeded, failed);
    }

    private Optional<PipelineResult> byPipelineId(UUID pipelineId) {
        return em.createQuery("select r from PipelineResult r where r.pipelineId = :pipelineId", PipelineResult.class)
                .setParameter("pipelineId", pipelineId)
                .getResultStream()
                .findFirst();
    }

    /** Attaches the steps of all given results, loaded with one query. */
    private List<ResultWithSteps> withSteps(List<PipelineResult> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        List<UUID> pipelineIds = results.stream().map(PipelineResult::getPipelineId).toList();
        Map<UUID, List<StepResult>> steps = em.createQuery("select s from StepResult s where s.pipelineId in :pipelineIds "
                        + "order by s.pipelineId, s.order", StepResult.class)
                .setParameter("pipelineIds", pipelineIds)
                .getResultStream()
                .collect(Collectors.groupingBy(StepResult::getPipelineId));
        List<ResultWithSteps> attached = new ArrayList<>(results.size());
        for (PipelineResult result : results) {
            attached.add(new ResultWithSteps(result, steps.getOrDefault(result.getPipelineId(), List.of())));
        }
        return attached;
    }
}
