package org.aipipeline.runner.pipelines.entity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.aipipeline.runner.results.entity.RunStatus;
import org.junit.jupiter.api.Test;

class PipelineFinishedTest {

    @Test
    void wireFormIsPipelineIdAndStatus() {
        UUID id = UUID.randomUUID();
        PipelineFinished finished = new PipelineFinished(id, RunStatus.Failed);
        assertEquals("{\"pipelineId\":\"" + id + "\",\"status\":\"Failed\"}", finished.toJson());
        assertEquals(finished, PipelineFinished.fromJson(finished.toJson()));
    }

    @Test
    void runningIsNotAFinish() {
        assertThrows(IllegalArgumentException.class, () -> new PipelineFinished(UUID.randomUUID(), RunStatus.Running));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> PipelineFinished.fromJson(
                                "{\"pipelineId\":\"" + UUID.randomUUID() + "\",\"status\":\"Running\"}"))
                .getMessage()
                .startsWith("status:"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> PipelineFinished.fromJson("{\"pipelineId\":\"x\",\"status\":\"Failed\"}"))
                .getMessage()
                .startsWith("pipelineId:"));
    }
}
