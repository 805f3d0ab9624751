package org.aipipeline.runner.results.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class StepPlanTest {

    @Test
    void readsBackWhatItWroteIncludingTabsNewlinesAndBackslashesInNames() {
        StepPlan plan = new StepPlan(List.of(
                new StepPlan.Step(5, "ocr", "PerformSingleOcr", "detectedCode"),
                new StepPlan.Step(3600, "we\tird\nnode\\", "proc\\t", null)));

        StepPlan read = StepPlan.parse(plan.text());

        assertEquals(plan, read);
        assertEquals(3600, read.step(2).timeoutSeconds());
    }

    @Test
    void refusesTextThatIsNotAPlan() {
        assertThrows(IllegalArgumentException.class, () -> StepPlan.parse("5\tonly-two"));
    }
}
