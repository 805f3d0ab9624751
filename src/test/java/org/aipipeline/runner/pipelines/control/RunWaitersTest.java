package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.aipipeline.runner.results.entity.RunStatus;
import org.aipipeline.runner.testing.Poll;
import org.junit.jupiter.api.Test;

class RunWaitersTest {

    private static final Duration LONG = Duration.ofMinutes(5);

    private final RunWaiters waiters = new RunWaiters();
    private final UUID run = UUID.randomUUID();

    @Test
    void aRequestIsAnsweredWithTheFinalStatusAndItsWaiterLeaves() {
        CompletableFuture<RunStatus> request = waiters.await(run, LONG);
        assertEquals(Set.of(run), waiters.runs());

        assertTrue(waiters.answer(run, RunStatus.Succeeded));

        assertEquals(RunStatus.Succeeded, request.join());
        assertEquals(0, waiters.size());
        assertFalse(waiters.answer(run, RunStatus.Succeeded), "nobody awaits it any more");
    }

    @Test
    void nobodyAwaitingARunIsSaidSo() {
        waiters.await(run, LONG);
        assertFalse(waiters.answer(UUID.randomUUID(), RunStatus.Failed));
        assertEquals(1, waiters.size());
    }

    @Test
    void requestsForOneRunShareOneWaiterAndAreAllAnswered() {
        CompletableFuture<RunStatus> first = waiters.await(run, LONG);
        CompletableFuture<RunStatus> replay = waiters.await(run, LONG);
        assertEquals(1, waiters.size());

        waiters.answer(run, RunStatus.Failed);

        assertEquals(RunStatus.Failed, first.join());
        assertEquals(RunStatus.Failed, replay.join());
        assertEquals(0, waiters.size());
    }

    @Test
    void aRequestTimesOutAloneAndTheOtherStillGetsTheAnswer() {
        CompletableFuture<RunStatus> impatient = waiters.await(run, Duration.ofMillis(1));
        CompletableFuture<RunStatus> patient = waiters.await(run, LONG);

        CompletionException timedOut = assertThrows(CompletionException.class, impatient::join);
        assertInstanceOf(TimeoutException.class, timedOut.getCause());
        assertFalse(patient.isDone());
        assertEquals(1, waiters.size(), "the patient request keeps the waiter");

        assertTrue(waiters.answer(run, RunStatus.Cancelled));
        assertEquals(RunStatus.Cancelled, patient.join());
        assertEquals(0, waiters.size());
    }

    @Test
    void theLastRequestTimingOutTakesTheWaiterAway() {
        CompletableFuture<RunStatus> request = waiters.await(run, Duration.ofMillis(1));

        assertThrows(CompletionException.class, request::join);
        // The removal runs just after the timeout completes the request, on the timer's thread.
        Poll.until(Duration.ofSeconds(5), waiters::size, size -> size == 0, "the waiter to leave");
        assertFalse(waiters.answer(run, RunStatus.Succeeded));
    }

    @Test
    void aCancelledRequestIsWithdrawnAndAnAnswerAfterwardsDoesNotReviveIt() {
        CompletableFuture<RunStatus> request = waiters.await(run, LONG);

        request.cancel(false);

        assertEquals(0, waiters.size());
        assertFalse(waiters.answer(run, RunStatus.Succeeded));
        assertTrue(request.isCancelled());
    }

    @Test
    void aRequestAfterAnAnswerWaitsForANewAnswer() {
        waiters.await(run, LONG);
        waiters.answer(run, RunStatus.Succeeded);

        // The replay path asks the database first; here the map must not hand out a stale answer.
        CompletableFuture<RunStatus> late = waiters.await(run, LONG);
        assertFalse(late.isDone());
        waiters.answer(run, RunStatus.Succeeded);
        assertEquals(RunStatus.Succeeded, late.join());
    }
}
