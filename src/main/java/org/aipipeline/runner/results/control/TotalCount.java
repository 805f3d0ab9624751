package org.aipipeline.runner.results.control;

import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A listing's {@code totalCount} and whether it is exact. Counting a million rows for every page
 * is what made the first page slow, so a user's results are counted exactly only up to a bound
 * ({@link #EXACT_UP_TO}); beyond it the count is the database's estimate, and where the database
 * has none (H2) an exact count after all. An estimate never claims fewer results than have been
 * seen: at least bound + 1, and at least what the pages so far prove.
 */
public record TotalCount(long value, boolean exact) {

    /** Up to this many of a user's results are counted exactly: an index-only count of ≤ 10,001 entries. */
    public static final int EXACT_UP_TO = 10_000;

    /**
     * @param countedUpToBound rows counted with {@code limit bound + 1}
     * @param estimate         the database's estimate, if it has one (asked only when needed)
     * @param exactCount       a full count (asked only when there is no estimate)
     */
    public static TotalCount of(
            long countedUpToBound, int bound, Supplier<OptionalLong> estimate, LongSupplier exactCount) {
        if (countedUpToBound <= bound) {
            return new TotalCount(countedUpToBound, true);
        }
        OptionalLong estimated = estimate.get();
        if (estimated.isPresent()) {
            return new TotalCount(Math.max(bound + 1L, estimated.getAsLong()), false);
        }
        return new TotalCount(exactCount.getAsLong(), true);
    }

    /**
     * This count made consistent with a page just read: {@code position} results precede it, it
     * holds {@code items}, and {@code hasNext} says whether more follow. A last page that shows
     * results makes an estimate exact; otherwise an estimate is raised to what the page proves
     * (an empty page past the end proves nothing).
     */
    public TotalCount reconciledWith(long position, int items, boolean hasNext) {
        if (exact || items == 0) {
            return this;
        }
        if (!hasNext) {
            return new TotalCount(position + items, true);
        }
        return new TotalCount(Math.max(value, position + items + (hasNext ? 1 : 0)), false);
    }
}
