package org.aipipeline.runner.nodes.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import jakarta.json.Json;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import org.aipipeline.runner.apscheme.ApElementJson;
import org.aipipeline.runner.nodes.entity.NodeView;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.entity.Page;
import org.aipipeline.runner.platform.entity.PageRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodesJsonTest {

    private final ApElementJson schemes = new ApElementJson();

    @Test
    void pageHasTheSpecsShapeWithSchemesInApSchemeForm() {
        Instant at = Instant.parse("2025-08-24T16:08:02.546805Z");
        RegisteredProcedure procedure = new RegisteredProcedure(
                "tire-ocr-postprocessing",
                "PerformTireCodePostprocessing",
                "1",
                schemes.parse("{\"type\":\"ApString\",\"value\":\"\"}"),
                schemes.parse("{\"type\":\"ApList\",\"items\":[{\"type\":\"ApInt\",\"value\":0}]}"),
                at,
                true);
        Page<NodeView> page = Page.of(
                List.of(new NodeView("tire-ocr-postprocessing", List.of(procedure), at, false)),
                new PageRequest(1, 20),
                1);
        String expected = """
            {"items":[{"id":"tire-ocr-postprocessing","procedures":[{"id":"PerformTireCodePostprocessing",
              "schemaVersion":1,"input":%s,"output":%s}],
              "lastAdvertisedAt":"2025-08-24T16:08:02.546805Z","available":false}],
             "pagination":{"pageNumber":1,"pageSize":20,"totalPages":1,"totalCount":1,
              "hasPreviousPage":false,"hasNextPage":false}}
            """.formatted(schemes.print(procedure.input()), schemes.print(procedure.output()));
        assertEquals(Json.createReader(new StringReader(expected)).readObject(), NodesJson.page(page));
    }

    @ParameterizedTest
    @CsvSource({"1, 1", "42, 42", "-3, -3", "2.1, \"2.1\"", "v2, \"v2\"", "1234567890123456789, \"1234567890123456789\""
    })
    void schemaVersionIsANumberWhenItIsOne(String stored, String json) {
        assertEquals(json, NodesJson.schemaVersion(stored).toString());
    }
}
