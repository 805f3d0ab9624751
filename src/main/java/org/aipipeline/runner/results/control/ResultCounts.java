package org.aipipeline.runner.results.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.PipelineBatch;
import org.aipipeline.runner.results.entity.RunStatus;

/**
 * Counts without counting a million rows. A user's results: exactly up to
 * {@link TotalCount#EXACT_UP_TO}, then PostgreSQL's planner estimate for the user (from the
 * column statistics and the table's current size, so it follows growth between ANALYZE runs), or
 * an exact count on H2, which has no estimate. A batch's counts: its {@code total_pipeline_count}
 * and the sums of its {@code pipeline_batch_counts} slots, which the write side keeps in the
 * transactions that finish its runs — never its results.
 */
@ApplicationScoped
public class ResultCounts {

    private static final String OF_USER = "from pipeline_results where user_id = ?";
    private static final String WITH_STATUS = " and status = ?";
    private static final String COUNT_UP_TO = "select count(*) from (select 1 %s limit ?) bounded";
    private static final String ESTIMATE = "explain (format json) select 1 %s";
    private static final String COUNT_ALL = "select count(*) %s";
    private static final String BATCH_OUTCOMES = "select coalesce(sum(succeeded), 0), coalesce(sum(failed), 0) "
            + "from pipeline_batch_counts where batch_id = ?";

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** The database never changes while the runner runs: asked once. */
    private volatile Boolean postgres;

    /** The user's results of {@code status} (null: all). */
    public TotalCount ofUser(UUID userId, RunStatus status) {
        String from = status == null ? OF_USER : OF_USER + WITH_STATUS;
        long counted = number(scoped(COUNT_UP_TO, from, userId, status)
                .setParameter(status == null ? 2 : 3, TotalCount.EXACT_UP_TO + 1)
                .getSingleResult());
        return TotalCount.of(
                counted,
                TotalCount.EXACT_UP_TO,
                () -> estimate(from, userId, status),
                () -> number(scoped(COUNT_ALL, from, userId, status).getSingleResult()));
    }

    private Query scoped(String sql, String from, UUID userId, RunStatus status) {
        Query query = em.createNativeQuery(sql.formatted(from)).setParameter(1, userId);
        return status == null ? query : query.setParameter(2, status.name());
    }

    public BatchCounts ofBatch(PipelineBatch batch) {
        Object[] sums = (Object[]) em.createNativeQuery(BATCH_OUTCOMES)
                .setParameter(1, batch.getId())
                .getSingleResult();
        return new BatchCounts(batch.getTotalPipelineCount(), number(sums[0]), number(sums[1]));
    }

    private OptionalLong estimate(String from, UUID userId, RunStatus status) {
        if (!isPostgres()) {
            return OptionalLong.empty();
        }
        return plannedRows(String.valueOf(scoped(ESTIMATE, from, userId, status).getSingleResult()));
    }

    /** The top plan node's "Plan Rows" of PostgreSQL's {@code EXPLAIN (FORMAT JSON)} output. */
    static OptionalLong plannedRows(String explainJson) {
        JsonValue explained;
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(explainJson))) {
            explained = reader.readValue();
        } catch (JsonException e) {
            return OptionalLong.empty(); // not JSON: fall back to counting
        }
        if (explained instanceof JsonArray plans
                && !plans.isEmpty()
                && plans.get(0) instanceof JsonObject first
                && first.get("Plan") instanceof JsonObject plan
                && plan.get("Plan Rows") instanceof JsonNumber rows) {
            return OptionalLong.of(rows.longValue());
        }
        return OptionalLong.empty();
    }

    private boolean isPostgres() {
        Boolean known = postgres;
        if (known == null) {
            try (Connection connection = dataSource.getConnection()) {
                known = "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName());
            } catch (SQLException e) {
                return false; // asked again next time
            }
            postgres = known;
        }
        return known;
    }

    private static long number(Object value) {
        return ((Number) value).longValue();
    }
}
