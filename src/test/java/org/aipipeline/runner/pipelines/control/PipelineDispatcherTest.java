package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.aipipeline.runner.apscheme.ApInt;
import org.aipipeline.runner.messaging.AnnouncedChanges;
import org.aipipeline.runner.messaging.Broker;
import org.aipipeline.runner.messaging.Outbox;
import org.aipipeline.runner.messaging.OutboxPublisher;
import org.aipipeline.runner.messaging.Topology;
import org.aipipeline.runner.nodes.entity.RegisteredProcedure;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.control.RunMetrics;
import org.aipipeline.runner.results.control.RunRecords;
import org.aipipeline.runner.testing.ScratchSchema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher on PostgreSQL: a run, its first RunPipelineStep in the outbox and (when keyed) its
 * idempotency key commit together or not at all, and the message is handed to the publisher only
 * after the commit. The publisher is not started, so what it was handed stays in its backlog.
 */
class PipelineDispatcherTest {

    static final ApInt ANY = new ApInt(BigInteger.ZERO);
    static final PipelinePlanner PLANNER = new PipelinePlanner(
            ProcedureCatalog.of(new RegisteredProcedure("node-a", "proc", "1", ANY, ANY, null, true)),
            (user, ids) -> List.of(),
            10,
            10);

    static ScratchSchema scratch;
    static ScheduledExecutorService scheduler;
    PipelineDispatcher dispatcher;
    OutboxPublisher publisher;
    UUID userId;

    @BeforeAll
    static void migrate() {
        scratch = ScratchSchema.migrated("dispatcher_test");
        scheduler = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterAll
    static void drop() {
        scratch.close();
        scheduler.shutdownNow();
    }

    @BeforeEach
    void wire() throws SQLException {
        publisher = new OutboxPublisher();
        Outbox outbox = new Outbox(scratch.dataSource());
        IdempotencyKeys keys = new IdempotencyKeys();
        keys.dataSource = scratch.dataSource();
        keys.retention = Duration.ofDays(1);
        // Never started: only its exchange and queue names are used.
        Broker broker = new Broker(
                Broker.connectionFactory("amqp://127.0.0.1:5672", Duration.ofSeconds(1)),
                scheduler,
                Duration.ofSeconds(1));
        dispatcher = new PipelineDispatcher();
        dispatcher.records = new RunRecords(scratch.dataSource());
        dispatcher.changes = new AnnouncedChanges(outbox, publisher, scratch.dataSource(), Duration.ofSeconds(10));
        dispatcher.idempotencyKeys = keys;
        dispatcher.topology = new Topology(broker, "");
        dispatcher.metrics = new RunMetrics();
        userId = ScratchSchema.newUser(scratch.dataSource());
    }

    private PipelinePlan plan(int value) {
        return PLANNER.planOne(
                userId,
                JsonCodecs.readStored("{\"type\":\"ApInt\",\"value\":" + value + "}"),
                List.of(new RequestedStep("node-a", "proc", null, null, null)));
    }

    /** {@code column} of the rows {@code where} selects, as text. */
    private List<String> column(String sql, UUID parameter) throws SQLException {
        try (Connection c = scratch.dataSource().getConnection();
                PreparedStatement select = c.prepareStatement(sql)) {
            select.setObject(1, parameter);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private UUID pipelineIdOf(PipelinePlan plan) {
        return plan.runs().get(0).pipelineId();
    }

    @Test
    void aRunIsRecordedRunningWithItsFirstStepInTheOutboxAndHandedToThePublisherAfterTheCommit() throws SQLException {
        PipelinePlan plan = plan(1);
        UUID pipelineId = pipelineIdOf(plan);

        dispatcher.dispatch(plan);

        assertEquals(
                List.of("Running"), column("select status from pipeline_results where pipeline_id = ?", pipelineId));
        assertEquals(
                List.of(Topology.nodeRoutingKey("node-a")),
                column("select routing_key from outbox where correlation_key = ?::text", pipelineId));
        String body = column("select body from outbox where correlation_key = ?::text", pipelineId)
                .get(0);
        assertTrue(body.contains(pipelineId.toString()), body);
        assertEquals(1, publisher.backlog(), "the committed message is handed to the publisher");
    }

    @Test
    void aKeyTakenByAnEarlierSubmissionRecordsAndSendsNothing() throws SQLException {
        IdempotentRequest keyed = IdempotentRequest.of("key-" + UUID.randomUUID(), userId, "/Pipelines", "body");
        PipelinePlan first = plan(1);
        dispatcher.dispatch(first, null, keyed, new IdempotencyKeys.Original(202, "{}", pipelineIdOf(first), null));

        PipelinePlan twin = plan(2);
        assertThrows(
                IdempotencyKeys.Taken.class,
                () -> dispatcher.dispatch(
                        twin, null, keyed, new IdempotencyKeys.Original(202, "{}", pipelineIdOf(twin), null)));

        assertEquals(
                List.of(), column("select status from pipeline_results where pipeline_id = ?", pipelineIdOf(twin)));
        assertEquals(
                List.of(),
                column("select routing_key from outbox where correlation_key = ?::text", pipelineIdOf(twin)));
        assertEquals(
                List.of("Running"),
                column("select status from pipeline_results where pipeline_id = ?", pipelineIdOf(first)));
        assertEquals(1, publisher.backlog(), "only the first submission's message");
    }
}
