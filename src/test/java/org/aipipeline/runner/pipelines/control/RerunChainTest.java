package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.aipipeline.runner.apscheme.ApInt;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.RetryPolicy;
import org.aipipeline.runner.results.control.StepPlan;
import org.aipipeline.runner.results.control.StoredRun;
import org.aipipeline.runner.results.entity.RunStatus;
import org.junit.jupiter.api.Test;

/** The rules of a rerun's chain: default fromOrder, which steps may be reused, what runs and on which input. */
class RerunChainTest {

    static final UUID OLD = UUID.randomUUID();
    static final String INPUT = "{\"type\":\"ApString\",\"value\":\"in\"}";
    static final RetryPolicy RETRY = new RetryPolicy(3, 2, List.of(503));
    static final StepPlan PLAN = new StepPlan(List.of(
            new StepPlan.Step(10, "a", "one", "text"),
            new StepPlan.Step(20, "b", "two", null, RETRY),
            new StepPlan.Step(30, "c", "three", null)));

    static StoredRun.Step ok(int order) {
        return new StoredRun.Step(
                order,
                "n",
                "p" + order,
                null,
                Instant.EPOCH,
                true,
                "{\"type\":\"ApInt\",\"value\":" + order + "}",
                null,
                null,
                1,
                null);
    }

    static StoredRun.Step failed(int order) {
        return new StoredRun.Step(order, "n", "p" + order, null, Instant.EPOCH, false, null, 500, "boom", 1, null);
    }

    static StoredRun.Step notRun(int order) {
        return new StoredRun.Step(
                order, "n", "p" + order, null, null, false, null, 500, "Not run: step 2 failed", 1, null);
    }

    static RerunChain chain(
            RunStatus status, List<StoredRun.Step> stored, Integer fromOrder, List<RequestedStep> steps) {
        return RerunChain.of(OLD.toString(), status, INPUT, PLAN, stored, fromOrder, steps);
    }

    @Test
    void byDefaultAFailedRunRunsAgainFromItsFirstStepThatDidNotSucceedOnTheResultBeforeIt() {
        RerunChain chain = chain(RunStatus.Failed, List.of(ok(1), failed(2), notRun(3)), null, null);
        assertEquals(2, chain.fromOrder());
        assertEquals(
                List.of(1), chain.reused().stream().map(StoredRun.Step::order).toList());
        assertEquals(List.of(PLAN.step(1)), chain.reusedPlan());
        assertEquals("{\"type\":\"ApInt\",\"value\":1}", chain.inputJson());
        assertEquals(
                List.of(
                        new RequestedStep("b", "two", null, 20, new RequestedStep.Retry(3, 2.0, List.of(503))),
                        new RequestedStep("c", "three", null, 30, null)),
                chain.toRun());
    }

    @Test
    void aMissingRowCountsAsNotSucceededAsACancelledRunLeavesIt() {
        assertEquals(
                3, chain(RunStatus.Cancelled, List.of(ok(1), ok(2)), null, null).fromOrder());
        assertEquals(1, chain(RunStatus.Cancelled, List.of(), null, null).fromOrder());
    }

    @Test
    void aSucceededRunRunsAgainFromStepOneOnItsInput() {
        RerunChain chain = chain(RunStatus.Succeeded, List.of(ok(1), ok(2), ok(3)), null, null);
        assertEquals(1, chain.fromOrder());
        assertTrue(chain.reused().isEmpty());
        assertEquals(INPUT, chain.inputJson());
        assertEquals(3, chain.toRun().size());
    }

    @Test
    void replacementStepsReplaceTheStepAtFromOrderAndEveryLaterOne() {
        List<RequestedStep> fixed = List.of(new RequestedStep("b", "two-fixed", null));
        RerunChain chain = chain(RunStatus.Succeeded, List.of(ok(1), ok(2), ok(3)), 3, fixed);
        assertEquals(3, chain.fromOrder());
        assertEquals(
                List.of(1, 2),
                chain.reused().stream().map(StoredRun.Step::order).toList());
        assertEquals(fixed, chain.toRun());
        assertEquals("{\"type\":\"ApInt\",\"value\":2}", chain.inputJson());
    }

    @Test
    void theWholeChainIsTheReusedStepsAsDispatchedThenThePlannedOnes() {
        RerunChain chain = chain(RunStatus.Failed, List.of(ok(1), failed(2), notRun(3)), null, null);
        ApInt any = new ApInt(BigInteger.ZERO);
        PipelinePlanner planner = new PipelinePlanner(
                ProcedureCatalog.of(
                        new RegisteredProcedure("b", "two", "1", any, any, null, true),
                        new RegisteredProcedure("c", "three", "1", any, any, null, true)),
                (user, ids) -> List.of(),
                50,
                1);
        PipelinePlan planned = planner.planFrom(
                UUID.randomUUID(), JsonCodecs.readStored(chain.inputJson()), chain.toRun(), chain.fromOrder());
        StepPlan whole = chain.chain(planned);
        assertEquals(3, whole.steps().size());
        assertEquals(PLAN.step(1), whole.step(1));
        assertEquals(PLAN.step(2), whole.step(2));
        assertEquals(PLAN.step(3), whole.step(3));
    }

    @Test
    void fromOrderOutsideTheRunOrAfterAStepThatDidNotSucceedIs422AtFromOrderSayingWhy() {
        List<StoredRun.Step> stored = List.of(ok(1), failed(2), notRun(3));
        assertEquals(
                "must be 1..3 (the steps of pipeline " + OLD + "), got 4",
                invalid(stored, 4).message());
        assertEquals("fromOrder", invalid(stored, 0).field());
        FieldError afterFailure = invalid(stored, 3);
        assertEquals("fromOrder", afterFailure.field());
        assertEquals(
                "step 2 cannot be reused: it failed (500 boom); re-run from step 2 or earlier", afterFailure.message());
        assertTrue(invalid(List.of(ok(1)), 3).message().startsWith("step 2 cannot be reused: it has no result"));
    }

    @Test
    void aRunningRunCannotBeRerunAndTheProblemNamesItsStatus() {
        RunnerException.Conflict conflict = assertThrows(
                RunnerException.Conflict.class, () -> chain(RunStatus.Running, List.of(ok(1)), null, null));
        assertTrue(conflict.getMessage().contains("is still Running"), conflict.getMessage());
    }

    private static FieldError invalid(List<StoredRun.Step> stored, int fromOrder) {
        RunnerException.Invalid invalid =
                assertThrows(RunnerException.Invalid.class, () -> chain(RunStatus.Failed, stored, fromOrder, null));
        assertEquals(1, invalid.fieldErrors().size());
        return invalid.fieldErrors().get(0);
    }
}
