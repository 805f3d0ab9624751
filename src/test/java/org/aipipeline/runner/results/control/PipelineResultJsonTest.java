package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.PipelineResult;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.results.entity.StepResult;
import org.junit.jupiter.api.Test;

class PipelineResultJsonTest {

    static final Instant CREATED = Instant.parse("2025-02-03T04:05:06.123456Z");
    static final String INPUT = "{\"type\":\"ApString\",\"value\":\"hi\"}";

    final UUID pipelineId = UUID.randomUUID();
    final UUID userId = UUID.randomUUID();

    @Test
    void pipelineResultHasExactlyTheSpecsFieldsWithNullsAndEmbeddedElements() {
        PipelineResult result = new PipelineResult(pipelineId, userId, null, INPUT, 3, CREATED);
        result.finish(RunStatus.Failed, CREATED.plusSeconds(2), CREATED.plusSeconds(3));
        List<StepResult> steps = List.of(
                StepResult.succeeded(
                        pipelineId,
                        1,
                        "node-a",
                        "proc-a",
                        null,
                        CREATED.plusSeconds(1),
                        "{\"type\":\"ApInt\",\"value\":7}"),
                StepResult.failed(pipelineId, 2, "node-b", "proc-b", "x.0", CREATED.plusSeconds(2), 422, "bad: trace"),
                StepResult.notRun(pipelineId, 3, "node-c", "proc-c", null, 422, "Not run: step 2 failed"));

        JsonObject json = PipelineResultJson.of(new ResultWithSteps(result, steps));

        assertEquals(
                List.of(
                        "id",
                        "userId",
                        "pipelineId",
                        "batchId",
                        "status",
                        "initialInput",
                        "createdAt",
                        "updatedAt",
                        "finishedAt",
                        "stepResults",
                        "retrying",
                        "rerunOf"),
                List.copyOf(json.keySet()));
        assertEquals(JsonValue.NULL, json.get("rerunOf"));
        assertEquals(pipelineId.toString(), json.getString("pipelineId"));
        assertEquals(JsonValue.NULL, json.get("batchId"));
        assertEquals("Failed", json.getString("status"));
        assertEquals(JsonValue.ValueType.OBJECT, json.get("initialInput").getValueType(), "embedded, not a string");
        assertEquals("hi", json.getJsonObject("initialInput").getString("value"));
        assertEquals("2025-02-03T04:05:06.123456Z", json.getString("createdAt"));
        assertEquals("2025-02-03T04:05:08.123456Z", json.getString("finishedAt"));

        List<JsonObject> stepJson = json.getJsonArray("stepResults").getValuesAs(JsonObject.class);
        assertEquals(
                List.of(
                        "order",
                        "id",
                        "nodeId",
                        "nodeProcedureId",
                        "finishedAt",
                        "wasSuccessful",
                        "outputValueSelector",
                        "result",
                        "failureReason",
                        "attempts",
                        "lastFailureReason",
                        "reused"),
                List.copyOf(stepJson.get(0).keySet()));
        assertEquals(JsonValue.FALSE, stepJson.get(0).get("reused"));
        assertEquals(7, stepJson.get(0).getJsonObject("result").getInt("value"));
        assertEquals(JsonValue.NULL, stepJson.get(0).get("failureReason"));
        assertEquals(JsonValue.NULL, stepJson.get(0).get("outputValueSelector"));
        assertEquals(JsonValue.FALSE, stepJson.get(1).get("wasSuccessful"));
        assertEquals(JsonValue.NULL, stepJson.get(1).get("result"));
        assertEquals(422, stepJson.get(1).getJsonObject("failureReason").getInt("code"));
        assertEquals(
                "bad: trace", stepJson.get(1).getJsonObject("failureReason").getString("reason"));
        assertEquals(JsonValue.NULL, stepJson.get(2).get("finishedAt"));
        assertEquals(
                "Not run: step 2 failed",
                stepJson.get(2).getJsonObject("failureReason").getString("reason"));
    }

    @Test
    void runningResultHasNullFinishedAtAndNoSteps() {
        JsonObject json = PipelineResultJson.wrapped(
                new ResultWithSteps(new PipelineResult(pipelineId, userId, null, INPUT, 1, CREATED), List.of()));
        JsonObject result = json.getJsonObject("result");
        assertEquals("Running", result.getString("status"));
        assertEquals(JsonValue.NULL, result.get("finishedAt"));
        assertTrue(result.getJsonArray("stepResults").isEmpty());
    }

    @Test
    void batchCarriesCountsResultsAndTheirPagination() {
        UUID batchId = UUID.randomUUID();
        PipelineBatch batch = new PipelineBatch(batchId, userId, 3, CREATED);
        PipelineResult one = new PipelineResult(pipelineId, userId, batchId, INPUT, 1, CREATED);
        PageStart second = PageStart.of(ResultListing.BATCH_OLDEST_FIRST, "2", "1", null);
        ResultsPage page = ResultsPage.of(
                ResultListing.BATCH_OLDEST_FIRST,
                second,
                List.of(new ResultWithSteps(one, List.of())),
                true,
                new TotalCount(3, true));

        JsonObject json = PipelineResultJson.batch(new BatchWithResults(batch, new BatchCounts(3, 1, 1), page))
                .getJsonObject("batch");

        assertEquals(
                List.of(
                        "id",
                        "userId",
                        "finishedAt",
                        "totalPipelineCount",
                        "successfullyCompletedPipelineCount",
                        "failedPipelineCount",
                        "pipelineResults",
                        "pagination"),
                List.copyOf(json.keySet()));
        assertEquals(batchId.toString(), json.getString("id"));
        assertEquals(JsonValue.NULL, json.get("finishedAt"));
        assertEquals(3, json.getInt("totalPipelineCount"));
        assertEquals(1, json.getInt("successfullyCompletedPipelineCount"));
        assertEquals(1, json.getInt("failedPipelineCount"));
        assertEquals(
                batchId.toString(),
                json.getJsonArray("pipelineResults").getJsonObject(0).getString("batchId"));
        JsonObject pagination = json.getJsonObject("pagination");
        assertEquals(
                List.of(
                        "pageNumber",
                        "pageSize",
                        "totalPages",
                        "totalCount",
                        "hasPreviousPage",
                        "hasNextPage",
                        "totalCountExact",
                        "nextCursor"),
                List.copyOf(pagination.keySet()),
                "the spec's six first, then ours");
        assertEquals(3, pagination.getInt("totalPages"));
        assertTrue(pagination.getBoolean("hasPreviousPage"));
        assertTrue(pagination.getBoolean("hasNextPage"));
        assertTrue(pagination.getBoolean("totalCountExact"));
        ResultCursor next = ResultCursor.decode(pagination.getString("nextCursor"), ResultListing.BATCH_OLDEST_FIRST);
        assertEquals(new ResultCursor(ResultListing.BATCH_OLDEST_FIRST, 2, CREATED, one.getId()), next);
    }
}
