package org.aipipeline.runner.callbacks.control;

import static org.aipipeline.runner.platform.control.DatabaseTime.at;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.ApplicationMetrics;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.aipipeline.runner.platform.control.Periodic;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.Tag;

/**
 * Delivers the queued callback events ({@code callback_deliveries}, written by the transactions
 * that recorded them): every {@code webhooks.sweep-interval} it leases the due rows (shared out
 * between instances with {@code SKIP LOCKED}), POSTs each to its run's URL, signed when the callback
 * has a secret, and records the outcome. A 2xx delivers it; anything else (or no answer within
 * {@code webhooks.timeout}) is tried again after 1 s, 2 s, 4 s, … (at most an hour apart) until
 * {@code webhooks.give-up-after} (24 h) has passed since the event. Never on a request thread.
 */
@ApplicationScoped
public class WebhookDeliveries implements Periodic {

    private static final System.Logger LOG = System.getLogger(WebhookDeliveries.class.getName());
    static final int CHUNK = 50;
    static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private static final String DUE =
            "select id, pipeline_id, event, body, attempts, created_at from callback_deliveries "
                    + "where next_attempt_at <= ? order by next_attempt_at, id limit ? for update skip locked";
    private static final String LEASE = "update callback_deliveries set next_attempt_at = ? where id = ?";
    private static final String TARGETS =
            "select pipeline_id, callback_url, callback_secret from pipeline_results " + "where pipeline_id = any (?)";
    private static final String DELIVERED = "update callback_deliveries set delivered_at = ?, next_attempt_at = null, "
            + "attempts = attempts + 1, last_status = ?, last_error = null where id = ?";
    private static final String FAILED = "update callback_deliveries set attempts = attempts + 1, last_status = ?, "
            + "last_error = ?, next_attempt_at = ?, gave_up_at = ? where id = ?";

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    ApplicationMetrics metrics;

    @Inject
    @ConfigProperty(name = "webhooks.sweep-interval", defaultValue = "PT1S")
    Duration interval;

    @Inject
    @ConfigProperty(name = "webhooks.timeout", defaultValue = "PT10S")
    Duration timeout;

    @Inject
    @ConfigProperty(name = "webhooks.give-up-after", defaultValue = "PT24H")
    Duration giveUpAfter;

    @Inject
    @ConfigProperty(name = "webhooks.allow-private-targets", defaultValue = "false")
    boolean allowPrivateTargets;

    private HttpClient http;

    /** One delivery taken from the table, with where it goes. */
    record Due(long id, UUID pipelineId, String event, String body, int attempts, Instant createdAt) {}

    @PostConstruct
    void start() {
        http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runRound() {
        deliverDue();
    }

    /** The wait before attempt {@code attempts + 1}: 1 s, 2 s, 4 s, … at most an hour. */
    static Duration waitAfter(int attempts) {
        Duration wait = Duration.ofSeconds(1L << Math.min(Math.max(attempts - 1, 0), 12));
        return wait.compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait;
    }

    void deliverDue() {
        try {
            List<Due> due;
            do {
                Instant now = DatabaseTime.now();
                due = LocalTransaction.run(dataSource, connection -> claim(connection, now));
                if (!due.isEmpty()) {
                    Map<UUID, String[]> targets = targets(due);
                    for (Due delivery : due) {
                        deliver(delivery, targets.get(delivery.pipelineId()));
                    }
                }
            } while (due.size() == CHUNK);
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Callback deliveries wait for the next sweep: {0}", e.getMessage());
        }
    }

    private List<Due> claim(Connection connection, Instant now) throws SQLException {
        List<Due> due = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(DUE)) {
            select.setObject(1, at(now));
            select.setInt(2, CHUNK);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    due.add(new Due(
                            rs.getLong(1),
                            rs.getObject(2, UUID.class),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getInt(5),
                            rs.getObject(6, OffsetDateTime.class).toInstant()));
                }
            }
        }
        // Leased while it is being POSTed, so no other sweep takes it; the outcome sets the real next time.
        try (PreparedStatement lease = connection.prepareStatement(LEASE)) {
            for (Due delivery : due) {
                lease.setObject(1, at(now.plus(timeout).plusSeconds(60)));
                lease.setLong(2, delivery.id());
                lease.addBatch();
            }
            if (!due.isEmpty()) {
                lease.executeBatch();
            }
        }
        return due;
    }

    private Map<UUID, String[]> targets(List<Due> due) throws SQLException {
        Map<UUID, String[]> targets = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(TARGETS)) {
            select.setArray(
                    1,
                    connection.createArrayOf(
                            "UUID", due.stream().map(Due::pipelineId).distinct().toArray()));
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    targets.put(rs.getObject(1, UUID.class), new String[] {rs.getString(2), rs.getString(3)});
                }
            }
        }
        return targets;
    }

    private void deliver(Due delivery, String[] target) throws SQLException {
        Instant now = Instant.now();
        if (target == null || target[0] == null) {
            failed(delivery, null, "the run has no callback any more", now, true);
            return;
        }
        String problem = new CallbackTargets(allowPrivateTargets).problemWith(target[0]);
        if (problem != null) {
            failed(delivery, null, "callback.url " + problem, now, true);
            return;
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target[0]))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "orchestration-runner")
                .header("Runner-Event", delivery.event())
                .header("Runner-Delivery", Long.toString(delivery.id()))
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
        if (target[1] != null) {
            request.header(
                    WebhookSignature.HEADER, WebhookSignature.header(target[1], now.getEpochSecond(), delivery.body()));
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                delivered(delivery, response.statusCode(), now);
            } else {
                failed(delivery, response.statusCode(), "answered " + response.statusCode(), now, false);
            }
        } catch (IOException e) {
            failed(
                    delivery,
                    null,
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    now,
                    false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void delivered(Due delivery, int status, Instant now) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(DELIVERED)) {
            update.setObject(1, at(now));
            update.setInt(2, status);
            update.setLong(3, delivery.id());
            update.executeUpdate();
        }
        count("delivered");
    }

    private void failed(Due delivery, Integer status, String error, Instant now, boolean hopeless) throws SQLException {
        Instant next = now.plus(waitAfter(delivery.attempts() + 1));
        boolean giveUp = hopeless || next.isAfter(delivery.createdAt().plus(giveUpAfter));
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(FAILED)) {
            if (status == null) {
                update.setNull(1, Types.INTEGER);
            } else {
                update.setInt(1, status);
            }
            update.setString(2, error.length() > 1000 ? error.substring(0, 1000) : error);
            update.setObject(3, giveUp ? null : at(next));
            update.setObject(4, giveUp ? at(now) : null);
            update.setLong(5, delivery.id());
            update.executeUpdate();
        }
        count(giveUp ? "gave-up" : "failed-attempt");
        if (giveUp) {
            LOG.log(
                    Level.WARNING,
                    "Gave up delivering {0} of pipeline {1} to its callback: {2}",
                    delivery.event(),
                    delivery.pipelineId(),
                    error);
        }
    }

    private void count(String outcome) {
        metrics.registry()
                .ifPresent(registry -> registry.counter(
                                Metadata.builder()
                                        .withName("runner_webhook_deliveries")
                                        .withDescription(
                                                "Callback delivery attempts by outcome: delivered, failed-attempt (tried again), gave-up")
                                        .build(),
                                new Tag("outcome", outcome))
                        .inc());
    }
}
