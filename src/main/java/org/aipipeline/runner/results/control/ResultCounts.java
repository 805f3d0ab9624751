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
import java.io.StringReader;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.OptionalLong;
import java.util.UUID;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.entity.JsonCodecs;
import org.aipipeline.runner.results.entity.PipelineBatch;

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

    private static final String COUNT_UP_TO = "select count(*) from (select 1 from pipeline_results where user_id = ? limit ?) bounded";
    private static final String ESTIMATE = "explain (format json) select 1 from pipeline_results where user_id = ?";
    private static final String COUNT_ALL = "select count(*) from pipeline_results where user_id = ?";
    private static final String BATCH_OUTCOMES = "select coalesce(sum(succeeded), 0), coalesce(sum(failed), 0) "
            + "from pipeline_batch_counts where batch_id = ?";

    @PersistenceContext
    EntityManager em;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** The database never changes while the runner runs: asked once. */
    private volatile Boolean postgres;

    public TotalCount ofUser(UUID userId) {
        long counted = number(em.createNativeQuery(COUNT_UP_TO).setParameter(1, userId)
                .setParameter(2, TotalCount.EXACT_UP_TO + 1).getSingleResult());
        return TotalCount.of(counted, TotalCount.EXACT_UP_TO, () -> estimate(userId),
                () -> number(em.createNativeQuery(COUNT_ALL).setParameter(1, userId).getSingleResult()));
    }

    public BatchCounts ofBatch(PipelineBatch batch) {
        Object[] sums = (Object[]) em.createNativeQuery(BATCH_OUTCOMES).setParameter(1, batch.getId()).getSingleResult();
        return new BatchCounts(batch.getTotalPipelineCount(), number(sums[0]), number(sums[1]));
    }

    private OptionalLong estimate(UUID userId) {
        if (!isPostgres()) {
            return OptionalLong.empty();
        }
        return plannedRows(String.valueOf(em.createNativeQuery(ESTIMATE).setParameter(1, userId).getSingleResult()));
    }

    /** The top plan node's "Plan Rows" of PostgreSQL's {@code EXPLAIN (FORMAT JSON)} output. */
    static OptionalLong plannedRows(String explainJson) {
        JsonValue explained;
        try (JsonReader reader = JsonCodecs.JSON.createReader(new StringReader(explainJson))) {
            explained = reader.readValue();
        } catch (JsonException e) {
            return OptionalLong.empty(); // not JSON: fall back to counting
        }
        if (explained instanceof JsonArray plans && !plans.isEmpty() && plans.get(0) instanceof JsonObject first
                && first.get("Plan") instanceof JsonObject plan && plan.get("Plan Rows") instanceof JsonNumber rows) {
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
