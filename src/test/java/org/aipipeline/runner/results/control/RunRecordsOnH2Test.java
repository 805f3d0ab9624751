package org.aipipeline.runner.results.control;

import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The same recording rules on the embedded default, H2 in PostgreSQL mode (the URL options the
 * runner itself uses), so {@code java -jar} without a database records runs exactly like PostgreSQL.
 */
class RunRecordsOnH2Test extends RunRecordsPostgresTest {

    static JdbcDataSource h2;

    @BeforeAll
    static void migrate() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:runrecords-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure()
                .dataSource(h2)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    @AfterAll
    static void drop() {
        // in memory: gone with the JVM
    }

    @Override
    void assumeLockWaitsVisible() {
        Assumptions.abort("H2 has no pg_stat_activity to see the report wait for the cancellation's lock");
    }

    @Override
    DataSource db() {
        return h2;
    }
}
