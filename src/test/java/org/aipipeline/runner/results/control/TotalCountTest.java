package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.aipipeline.runner.platform.entity.Pagination;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TotalCountTest {

    static final Supplier<OptionalLong> NO_ESTIMATE_ASKED = () -> fail("no estimate needed");
    static final LongSupplier NO_COUNT_ASKED = () -> fail("no full count needed");

    @ParameterizedTest(name = "{0} counted up to bound 100 -> exact {0}")
    @CsvSource({"0", "1", "99", "100"})
    void upToTheBoundTheCountIsExactAndNothingElseIsAsked(long counted) {
        assertEquals(new TotalCount(counted, true), TotalCount.of(counted, 100, NO_ESTIMATE_ASKED, NO_COUNT_ASKED));
    }

    @ParameterizedTest(name = "estimate {0} -> {1}, not exact")
    @CsvSource({"1000000, 1000000", "101, 101", "5, 101", "0, 101"})
    void beyondTheBoundTheEstimateIsUsedButNeverBelowBoundPlusOne(long estimate, long expected) {
        assertEquals(
                new TotalCount(expected, false),
                TotalCount.of(101, 100, () -> OptionalLong.of(estimate), NO_COUNT_ASKED));
    }

    @Test
    void withoutAnEstimateTheRowsAreCountedAfterAll() {
        assertEquals(new TotalCount(123_456, true), TotalCount.of(101, 100, OptionalLong::empty, () -> 123_456));
    }

    @ParameterizedTest(name = "estimate 1000, page at {0} with {1} items, next {2} -> {3} exact {4}")
    @CsvSource({
        "0,    20, true,  1000, false", // a first page proves nothing against the estimate
        "2000, 20, true,  2021, false", // deeper than the estimate: raised to what the page proves
        "980,  20, false, 1000, true", // the last page: now it is known
        "1500, 7,  false, 1507, true",
        "5000, 0,  false, 1000, false", // past the end: an empty page proves nothing
    })
    void anEstimateIsReconciledWithThePageRead(long position, int items, boolean hasNext, long value, boolean exact) {
        assertEquals(
                new TotalCount(value, exact), new TotalCount(1000, false).reconciledWith(position, items, hasNext));
    }

    @Test
    void anExactCountIsKeptWhateverThePage() {
        TotalCount exact = new TotalCount(3, true);
        assertEquals(exact, exact.reconciledWith(40, 0, false));
        assertEquals(exact, exact.reconciledWith(0, 2, true));
    }

    @Test
    void aPageTakesItsNumbersFromItsStartAndHasNextFromTheExtraRowNotFromTheTotal() {
        List<ResultWithSteps> items = results(20);
        PageStart third = PageStart.of(ResultListing.USER_NEWEST_FIRST, "3", "20", null);

        ResultsPage page =
                ResultsPage.of(ResultListing.USER_NEWEST_FIRST, third, items, true, new TotalCount(10_001, false));

        assertEquals(new Pagination(3, 20, 501, 10_001, true, true), page.pagination());
        PipelineResult last = items.get(19).result();
        assertEquals(
                new ResultCursor(ResultListing.USER_NEWEST_FIRST, 60, last.getCreatedAt(), last.getId()),
                ResultCursor.decode(page.nextCursor(), ResultListing.USER_NEWEST_FIRST));

        ResultsPage lastPage = ResultsPage.of(
                ResultListing.USER_NEWEST_FIRST, third, items.subList(0, 5), false, new TotalCount(10_001, false));
        assertEquals(new Pagination(3, 20, 3, 45, true, false), lastPage.pagination());
        assertEquals(true, lastPage.totalCountExact());
        assertEquals(null, lastPage.nextCursor());
    }

    static List<ResultWithSteps> results(int count) {
        List<ResultWithSteps> results = new ArrayList<>();
        Instant created = Instant.parse("2025-06-01T12:00:00Z");
        for (int i = 0; i < count; i++) {
            PipelineResult result =
                    new PipelineResult(UUID.randomUUID(), UUID.randomUUID(), null, "{}", 1, created.minusSeconds(i));
            results.add(new ResultWithSteps(result, List.of()));
        }
        return results;
    }
}
