package org.aipipeline.runner.results.control;

import static org.aipipeline.runner.results.control.ResultListing.USER_NEWEST_FIRST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageStartTest {

    static String cursorAt(long position) {
        return new ResultCursor(USER_NEWEST_FIRST, position, Instant.parse("2025-06-01T12:00:00Z"), UUID.randomUUID())
                .encode();
    }

    @ParameterizedTest(name = "pageNumber={0} pageSize={1} -> offset {2}")
    @CsvSource({"'', '', 0, 1, 20", "1, 20, 0, 1, 20", "3, 20, 40, 3, 20", "2, 100, 100, 2, 100"})
    void withoutACursorAPageStartsAtItsOffset(String number, String size, long position, int pageNumber, int pageSize) {
        PageStart start = PageStart.of(USER_NEWEST_FIRST, number, size, null);

        assertFalse(start.isKeyset());
        assertEquals(position, start.position());
        assertEquals(pageNumber, start.pageNumber());
        assertEquals(pageSize, start.pageSize());
    }

    @ParameterizedTest(name = "cursor at {0}, pageSize {1} -> page {2}")
    @CsvSource({"20, 20, 2", "40, 20, 3", "40, 10, 5", "45, 20, 3", "0, 20, 1"})
    void afterACursorThePageIsTheOneHoldingItsNextResult(long position, String size, int pageNumber) {
        PageStart start = PageStart.of(USER_NEWEST_FIRST, null, size, cursorAt(position));

        assertTrue(start.isKeyset());
        assertEquals(position, start.position());
        assertEquals(pageNumber, start.pageNumber());
    }

    @Test
    void aPageNumberSentWithACursorMustNameTheSamePage() {
        assertEquals(3, PageStart.of(USER_NEWEST_FIRST, "3", "20", cursorAt(40)).pageNumber());

        RunnerException.BadInput rejected = assertThrows(
                RunnerException.BadInput.class, () -> PageStart.of(USER_NEWEST_FIRST, "7", "20", cursorAt(40)));
        assertEquals(400, rejected.status());
        assertTrue(rejected.getMessage().contains("pageNumber 7"), rejected.getMessage());
    }

    @Test
    void badPageParametersStayBadRequestsWithACursor() {
        assertThrows(RunnerException.BadInput.class, () -> PageStart.of(USER_NEWEST_FIRST, null, "101", cursorAt(20)));
        assertThrows(RunnerException.BadInput.class, () -> PageStart.of(USER_NEWEST_FIRST, "x", "20", cursorAt(20)));
        assertThrows(RunnerException.BadInput.class, () -> PageStart.of(USER_NEWEST_FIRST, null, "20", "garbage"));
    }
}
