package org.aipipeline.runner.results.control;

import java.util.List;
import org.aipipeline.runner.platform.entity.Pagination;
import org.aipipeline.runner.results.entity.PipelineResult;

/**
 * One page of results with the spec's {@link Pagination} and, beyond the spec, whether
 * {@code totalCount} is exact and the cursor of the next page (null on the last one).
 * {@code hasNextPage} comes from reading one result more than the page shows, never from the
 * (possibly estimated) total.
 */
public record ResultsPage(
        List<ResultWithSteps> items, Pagination pagination, boolean totalCountExact, String nextCursor) {

    public ResultsPage {
        items = List.copyOf(items);
    }

    /**
     * @param items   at most {@code start.pageSize()} results, in the listing's order
     * @param hasNext whether the listing holds a result after the last of {@code items}
     */
    public static ResultsPage of(
            ResultListing listing, PageStart start, List<ResultWithSteps> items, boolean hasNext, TotalCount total) {
        TotalCount count = total.reconciledWith(start.position(), items.size(), hasNext);
        int pageSize = start.pageSize();
        int totalPages = (int) Math.min(Integer.MAX_VALUE, (count.value() + pageSize - 1) / pageSize);
        Pagination pagination =
                new Pagination(start.pageNumber(), pageSize, totalPages, count.value(), start.position() > 0, hasNext);
        String next = null;
        if (hasNext) {
            PipelineResult last = items.get(items.size() - 1).result();
            next = new ResultCursor(listing, start.position() + items.size(), last.getCreatedAt(), last.getId())
                    .encode();
        }
        return new ResultsPage(items, pagination, count.exact(), next);
    }
}
