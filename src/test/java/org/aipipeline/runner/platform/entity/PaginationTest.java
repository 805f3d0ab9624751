package org.aipipeline.runner.platform.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaginationTest {

    @ParameterizedTest(name = "page {0} of size {1}, {2} in all -> {3} pages, previous {4}, next {5}")
    @CsvSource({
        "1,  20, 0,   0,  false, false",
        "2,  20, 0,   0,  true,  false",
        "1,  20, 1,   1,  false, false",
        "1,  20, 20,  1,  false, false",
        "1,  20, 21,  2,  false, true",
        "2,  20, 21,  2,  true,  false",
        "3,  20, 21,  2,  true,  false",
        "1,  10, 100, 10, false, true",
        "5,  10, 100, 10, true,  true",
        "10, 10, 100, 10, true,  false",
        "1,  1,  3,   3,  false, true",
        "1,  100, 10000000000, 100000000, false, true",
    })
    void paginationIsDerivedFromTheRequestAndTheTotal(
            int pageNumber, int pageSize, long totalCount, int totalPages, boolean hasPrevious, boolean hasNext) {
        assertEquals(
                new Pagination(pageNumber, pageSize, totalPages, totalCount, hasPrevious, hasNext),
                Pagination.of(new PageRequest(pageNumber, pageSize), totalCount));
    }

    @Test
    void aPageCarriesItsItemsAndPagination() {
        Page<String> page = Page.of(List.of("a", "b"), new PageRequest(2, 2), 5);

        assertEquals(List.of("a", "b"), page.items());
        assertEquals(new Pagination(2, 2, 3, 5, true, true), page.pagination());
    }

    @Test
    void anEmptyResultIsAnEmptyPageWithNoPages() {
        Page<String> page = Page.of(List.of(), PageRequest.parse(null, null), 0);

        assertEquals(List.of(), page.items());
        assertEquals(new Pagination(1, 20, 0, 0, false, false), page.pagination());
    }

    @Test
    void aPageDoesNotChangeWithTheListItWasMadeFrom() {
        List<String> source = new ArrayList<>(List.of("a"));
        Page<String> page = Page.of(source, new PageRequest(1, 20), 1);
        source.add("b");

        assertEquals(List.of("a"), page.items());
        assertThrows(UnsupportedOperationException.class, () -> page.items().add("c"));
    }

    @Test
    void mappingAPageKeepsItsPagination() {
        Page<String> page = Page.of(List.of("a", "bb"), new PageRequest(1, 2), 3);

        Page<Integer> lengths = page.map(String::length);

        assertEquals(List.of(1, 2), lengths.items());
        assertEquals(page.pagination(), lengths.pagination());
    }
}
