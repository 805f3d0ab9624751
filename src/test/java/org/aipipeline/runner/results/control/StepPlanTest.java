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
    void readsBackRetryPoliciesAndPlansWrittenBeforeRetriesHadThem() {
        StepPlan plan = new StepPlan(List.of(
                new StepPlan.Step(5, "ocr", "PerformSingleOcr", null, new RetryPolicy(3, 0.5, List.of(503, 429))),
                new StepPlan.Step(7, "post", "Postprocess", "a.b", new RetryPolicy(10, 0, List.of())),
                new StepPlan.Step(9, "last", "Never", null)));

        assertEquals(plan, StepPlan.parse(plan.text()));
        assertEquals(new StepPlan(List.of(new StepPlan.Step(60, "n", "p", null))), StepPlan.parse("60\tn\tp\t"));
    }

    @Test
    void refusesTextThatIsNotAPlan() {
        assertThrows(IllegalArgumentException.class, () -> StepPlan.parse("5\tonly-two"));
    }
}
