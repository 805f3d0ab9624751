package org.aipipeline.runner.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.aipipeline.runner.platform.control.RunnerException;
import org.junit.jupiter.api.Test;

/** The pure rules of {@link QueueConsumer}: what is permanent, how long to wait, how attempts are read. */
class QueueConsumerTest {

    @Test
    void rejectionsAndClientErrorsArePermanentTimeoutsAndServerErrorsAreNot() {
        assertTrue(QueueConsumer.isPermanent(new RejectMessage("bad json")));
        assertTrue(QueueConsumer.isPermanent(new RunnerException.Invalid("nodeId", "must not be empty")));
        assertTrue(QueueConsumer.isPermanent(new RunnerException.NotFound("unknown pipeline")));
        assertTrue(QueueConsumer.isPermanent(new RunnerException.BadInput("unparseable")));
        assertFalse(QueueConsumer.isPermanent(new RunnerException.TimedOut("slow", Map.of())));
        assertFalse(QueueConsumer.isPermanent(new RunnerException.TooManyRequests("busy", 1)));
        assertFalse(QueueConsumer.isPermanent(new RunnerException.Unavailable("database down")));
        assertFalse(QueueConsumer.isPermanent(new IllegalStateException("anything else")));
    }

    @Test
    void ourExceptionIsFoundInsideWrappers() {
        RejectMessage reject = new RejectMessage("unknown ApElement type");
        assertSame(
                reject,
                QueueConsumer.significantCause(new RuntimeException("EJBException", new RuntimeException(reject))));
        IllegalStateException other = new IllegalStateException("x");
        assertSame(other, QueueConsumer.significantCause(other));
    }

    @Test
    void retryDelayDoublesFromTheConfiguredOneUpToAMinute() {
        MessagingSettings settings = new MessagingSettings(
                Optional.empty(), Duration.ofSeconds(5), 1, 1, 5, Duration.ofSeconds(1), Duration.ofSeconds(2));
        QueueConsumer consumer = new QueueConsumer("q", 1, message -> {}, null, null, null, settings);

        assertEquals(Duration.ofSeconds(1), consumer.retryDelay(1));
        assertEquals(Duration.ofSeconds(2), consumer.retryDelay(2));
        assertEquals(Duration.ofSeconds(16), consumer.retryDelay(5));
        assertEquals(Duration.ofMinutes(1), consumer.retryDelay(30));
    }

    @Test
    void failedAttemptsAreReadFromTheHeaderWhateverItsAmqpType() {
        assertEquals(0, QueueConsumer.failedAttempts(new AMQP.BasicProperties()));
        assertEquals(2, QueueConsumer.failedAttempts(withAttempts(2)));
        assertEquals(3, QueueConsumer.failedAttempts(withAttempts(3L)));
        assertEquals(4, QueueConsumer.failedAttempts(withAttempts(LongStringHelper.asLongString("4"))));
        assertEquals(0, QueueConsumer.failedAttempts(withAttempts("garbage")));
        assertEquals(0, QueueConsumer.failedAttempts(withAttempts(-7)));
    }

    @Test
    void messageTypesAreTheDotnetContractNamesOfTheSpec() {
        assertEquals(
                "AiPipeline.Orchestration.Shared.All.Contracts.Commands.RunPipelineStep.RunPipelineStep",
                MessageType.RUN_PIPELINE_STEP.dotnetName());
        assertEquals(
                "AiPipeline.Orchestration.Shared.All.Contracts.Events.StepCompletion.StepCompleted",
                MessageType.STEP_COMPLETED.dotnetName());
        assertEquals(
                "AiPipeline.Orchestration.Shared.All.Contracts.Events.PipelineFailure.PipelineFailed",
                MessageType.PIPELINE_FAILED.dotnetName());
        assertEquals(
                "AiPipeline.Orchestration.Shared.All.Contracts.Events.NodeAdvertisement.NodeAdvertised",
                MessageType.NODE_ADVERTISED.dotnetName());
        assertEquals(
                Optional.of(MessageType.NODE_ADVERTISED),
                MessageType.ofDotnetName(MessageType.NODE_ADVERTISED.dotnetName()));
        assertEquals(Optional.empty(), MessageType.ofDotnetName("Something.Else"));
    }

    private static AMQP.BasicProperties withAttempts(Object value) {
        return new AMQP.BasicProperties.Builder()
                .headers(Map.of(QueueConsumer.ATTEMPTS, value))
                .build();
    }
}
