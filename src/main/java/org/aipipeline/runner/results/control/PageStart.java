package org.aipipeline.runner.results.control;

import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.PageRequest;

/**
 * Where a requested page of results begins: {@code position} results precede it, and it starts
 * either at that offset (a numbered page) or right after a cursor (a keyset page). The spec's
 * {@code pageNumber}/{@code pageSize} keep their meaning either way; a cursor only makes reaching
 * a deep page cheap.
 */
public record PageStart(int pageSize, long position, ResultCursor after) {

    /**
     * From the query parameters. With {@code after}, the page is the one the cursor leads to; a
     * {@code pageNumber} sent alongside must name that same page (400 otherwise), so a client
     * never gets a page other than the one it asked for.
     *
     * @throws RunnerException.BadInput malformed pageNumber, pageSize or after, or they disagree
     */
    public static PageStart of(ResultListing listing, String pageNumber, String pageSize, String after) {
        PageRequest request = PageRequest.parse(pageNumber, pageSize);
        if (after == null || after.isEmpty()) {
            return new PageStart(request.pageSize(), request.offset(), null);
        }
        ResultCursor cursor = ResultCursor.decode(after, listing);
        PageStart start = new PageStart(request.pageSize(), cursor.position(), cursor);
        if (pageNumber != null && !pageNumber.isEmpty() && request.pageNumber() != start.pageNumber()) {
            throw new RunnerException.BadInput(
                    "pageNumber " + request.pageNumber() + " is not the page after leads to (" + start.pageNumber()
                            + " at pageSize " + request.pageSize() + "); send after alone");
        }
        return start;
    }

    /** 1-based; a cursor taken at another page size lands on the page holding its next result. */
    public int pageNumber() {
        return (int) Math.min(Integer.MAX_VALUE, position / pageSize + 1);
    }

    public boolean isKeyset() {
        return after != null;
    }
}
