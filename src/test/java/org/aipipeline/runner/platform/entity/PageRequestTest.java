package org.aipipeline.runner.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.aipipeline.runner.platform.control.RunnerException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageRequestTest {

    @ParameterizedTest(name = "pageNumber={0} pageSize={1} -> {2}/{3}")
    @CsvSource(
            nullValues = "null",
            value = {
                "null, null, 1,   20",
                "'',   '',   1,   20",
                "3,    null, 3,   20",
                "null, 7,    1,   7",
                "1,    1,    1,   1",
                "2,    100,  2,   100",
                "' 4 ', ' 50 ', 4, 50",
                "2147483647, 100, 2147483647, 100",
            })
    void absentParametersTakeTheDefaultsAndValidOnesAreKept(String pageNumber, String pageSize, int number, int size) {
        assertEquals(new PageRequest(number, size), PageRequest.parse(pageNumber, pageSize));
    }

    @ParameterizedTest(name = "pageNumber={0} pageSize={1}")
    @CsvSource(
            nullValues = "null",
            delimiter = '|',
            value = {
                "0          | null | pageNumber must be between 1 and 2147483647, got 0",
                "-1         | null | pageNumber must be between 1 and 2147483647, got -1",
                "abc        | null | pageNumber must be a whole number, got 'abc'",
                "1.5        | null | pageNumber must be a whole number, got '1.5'",
                "2147483648 | null | pageNumber must be a whole number, got '2147483648'",
                "' '        | null | pageNumber must be a whole number, got ' '",
                "null       | 0    | pageSize must be between 1 and 100, got 0",
                "null       | -20  | pageSize must be between 1 and 100, got -20",
                "null       | 101  | pageSize must be between 1 and 100, got 101",
                "null       | 1e2  | pageSize must be a whole number, got '1e2'",
                "null       | １ | pageSize must be a whole number, got '１'",
                "١      | null | pageNumber must be a whole number, got '١'",
                "null       | 99999999999 | pageSize must be a whole number, got '99999999999'",
                "0          | 0    | pageNumber must be between 1 and 2147483647, got 0",
            })
    void outOfRangeOrNonNumericParametersAreA400NamingTheParameter(String pageNumber, String pageSize, String message) {
        RunnerException.BadInput e =
                assertThrows(RunnerException.BadInput.class, () -> PageRequest.parse(pageNumber, pageSize));
        assertEquals(400, e.status());
        assertEquals("Bad Request", e.title());
        assertEquals(message, e.getMessage());
    }

    @ParameterizedTest(name = "page {0} of size {1} starts at {2}")
    @CsvSource({
        "1,          20,  0",
        "2,          20,  20",
        "3,          7,   14",
        "2147483647, 100, 2147483647",
    })
    void theOffsetSkipsThePreviousPagesAndCannotOverflow(int pageNumber, int pageSize, int offset) {
        assertEquals(offset, new PageRequest(pageNumber, pageSize).offset());
    }

    @Test
    void theDefaultsAreTheSpecs() {
        assertEquals(20, PageRequest.DEFAULT_PAGE_SIZE);
        assertEquals(100, PageRequest.MAX_PAGE_SIZE);
    }
}
