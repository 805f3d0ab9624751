package org.aipipeline.runner.callbacks.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunCallback;

/** A run's callback and every delivery queued for it, newest last (the caller checked the run is theirs). */
@ApplicationScoped
public class CallbackLog {

    public static final int LIMIT = 1000;
    private static final String CALLBACK = "select callback_url, callback_events, callback_secret is not null "
            + "from pipeline_results where pipeline_id = ?";
    private static final String DELIVERIES =
            "select id, event, created_at, attempts, delivered_at, gave_up_at, last_status, "
                    + "last_error, next_attempt_at from callback_deliveries where pipeline_id = ? order by id limit "
                    + LIMIT;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** The callback as asked for (never its secret: only whether there is one). */
    public record Callback(String url, Set<String> events, boolean signed) {}

    /** One delivery: {@code status} pending, delivered or gave-up. */
    public record Delivery(
            long id,
            String event,
            String status,
            Instant createdAt,
            int attempts,
            Integer lastStatusCode,
            String lastError,
            Instant nextAttemptAt,
            Instant deliveredAt) {}

    public record Log(Callback callback, List<Delivery> deliveries) {}

    public Log of(UUID pipelineId) {
        try (Connection connection = dataSource.getConnection()) {
            Callback callback = null;
            try (PreparedStatement select = connection.prepareStatement(CALLBACK)) {
                select.setObject(1, pipelineId);
                try (ResultSet rs = select.executeQuery()) {
                    if (rs.next() && rs.getString(1) != null) {
                        callback = new Callback(rs.getString(1), RunCallback.events(rs.getString(2)), rs.getBoolean(3));
                    }
                }
            }
            List<Delivery> deliveries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(DELIVERIES)) {
                select.setObject(1, pipelineId);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        Instant delivered = instant(rs, 5);
                        Instant gaveUp = instant(rs, 6);
                        int status = rs.getInt(7);
                        Integer lastStatus = rs.wasNull() ? null : status;
                        deliveries.add(new Delivery(
                                rs.getLong(1),
                                rs.getString(2),
                                delivered != null ? "delivered" : gaveUp != null ? "gave-up" : "pending",
                                instant(rs, 3),
                                rs.getInt(4),
                                lastStatus,
                                rs.getString(8),
                                instant(rs, 9),
                                delivered));
                    }
                }
            }
            return new Log(callback, deliveries);
        } catch (SQLException e) {
            throw new RunnerException.Unavailable("Cannot read the run's callback deliveries: " + e.getMessage());
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class))
                .map(OffsetDateTime::toInstant)
                .orElse(null);
    }
}
