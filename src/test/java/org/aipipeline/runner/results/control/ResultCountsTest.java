package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResultCountsTest {

    @Test
    void theEstimateIsTheTopPlanNodesRows() {
        String explained = "[{\"Plan\": {\"Node Type\": \"Index Only Scan\", \"Relation Name\": \"pipeline_results\", "
                + "\"Startup Cost\": 0.42, \"Total Cost\": 30512.43, \"Plan Rows\": 999873, \"Plan Width\": 4}}]";
        assertEquals(OptionalLong.of(999_873), ResultCounts.plannedRows(explained));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {"", "not json", "[]", "{}", "[{}]", "[{\"Plan\": {}}]", "[{\"Plan\": {\"Plan Rows\": \"many\"}}]"
            })
    void anythingElseMeansNoEstimate(String explained) {
        assertEquals(OptionalLong.empty(), ResultCounts.plannedRows(explained));
    }
}
