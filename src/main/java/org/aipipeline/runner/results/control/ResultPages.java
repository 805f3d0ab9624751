package org.aipipeline.runner.results.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.StepResult;

/**
 * Reads pages of results in a fixed number of queries, none of which visits rows the page does
 * not show: the page's ids (pageSize + 1 of them, through the listing's index, see
 * {@link ResultListing}), those results by primary key, and all their steps in one
 * {@code in (...)} query.
 */
@ApplicationScoped
public class ResultPages {

    @PersistenceContext
    EntityManager em;

    /** The page of {@code listing} (scoped to the user's or the batch's id) that {@code start} names. */
    public ResultsPage read(ResultListing listing, UUID scopeId, PageStart start, TotalCount total) {
        List<UUID> ids = idsFrom(listing, scopeId, start);
        boolean hasNext = ids.size() > start.pageSize();
        List<UUID> shown = hasNext ? ids.subList(0, start.pageSize()) : ids;
        return ResultsPage.of(listing, start, withSteps(inOrder(shown)), hasNext, total);
    }

    /** Attaches the steps of all given results, loaded with one query. */
    List<ResultWithSteps> withSteps(List<PipelineResult> results) {
        if (results.isEmpty()) {
            return List.of();
        }
        List<UUID> pipelineIds =
                results.stream().map(PipelineResult::getPipelineId).toList();
        Map<UUID, List<StepResult>> steps = em.createQuery(
                        "select s from StepResult s where s.pipelineId in :pipelineIds "
                                + "order by s.pipelineId, s.order",
                        StepResult.class)
                .setParameter("pipelineIds", pipelineIds)
                .getResultStream()
                .collect(Collectors.groupingBy(StepResult::getPipelineId));
        List<ResultWithSteps> attached = new ArrayList<>(results.size());
        for (PipelineResult result : results) {
            attached.add(new ResultWithSteps(result, steps.getOrDefault(result.getPipelineId(), List.of())));
        }
        return attached;
    }

    private List<UUID> idsFrom(ResultListing listing, UUID scopeId, PageStart start) {
        int limit = start.pageSize() + 1;
        Query query;
        if (start.isKeyset()) {
            query = em.createNativeQuery(listing.keysetSql())
                    .setParameter(1, scopeId)
                    .setParameter(2, DatabaseTime.at(start.after().createdAt()))
                    .setParameter(3, start.after().id())
                    .setParameter(4, limit);
        } else {
            query = em.createNativeQuery(listing.offsetSql())
                    .setParameter(1, scopeId)
                    .setParameter(2, limit)
                    .setParameter(3, start.position());
        }
        List<?> rows = query.getResultList();
        return rows.stream().map(row -> (UUID) row).toList();
    }

    /** The results with these ids, in the order of the ids. */
    private List<PipelineResult> inOrder(List<UUID> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<UUID, PipelineResult> byId = new HashMap<>();
        em.createQuery("select r from PipelineResult r where r.id in :ids", PipelineResult.class)
                .setParameter("ids", ids)
                .getResultStream()
                .forEach(result -> byId.put(result.getId(), result));
        // A result deleted between the two queries (its user was deleted) is simply left out.
        return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
    }
}
