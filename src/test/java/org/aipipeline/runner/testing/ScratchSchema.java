package org.aipipeline.runner.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throw-away schema of the integration-test database, migrated like the runner's own, for tests
 * that must run their SQL on PostgreSQL without touching the shared public schema's migration
 * history. Skips the calling test (assumption) when PostgreSQL is not reachable.
 */
public final class ScratchSchema implements AutoCloseable {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
    private final String schema;

    private ScratchSchema(String prefix) {
        schema = prefix + "_" + UUID.randomUUID().toString().replace("-", "");
        dataSource.setUrl(System.getProperty("it.db.url", "jdbc:postgresql://127.0.0.1:5432/runner_test"));
        dataSource.setUser(System.getProperty("it.db.user", "postgres"));
        dataSource.setPassword(System.getProperty("it.db.password", "postgres"));
        dataSource.setConnectTimeout(2);
    }

    /** A new schema named after {@code prefix}, migrated; its data source uses it as the current schema. */
    public static ScratchSchema migrated(String prefix) {
        ScratchSchema scratch = new ScratchSchema(prefix);
        try (Connection ignored = scratch.dataSource.getConnection()) {
            // reachable
        } catch (SQLException e) {
            assumeTrue(false, "PostgreSQL not reachable: " + e.getMessage());
        }
        Flyway.configure()
                .dataSource(scratch.dataSource)
                .schemas(scratch.schema)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        scratch.dataSource.setCurrentSchema(scratch.schema);
        return scratch;
    }

    public PGSimpleDataSource dataSource() {
        return dataSource;
    }

    /** A new user in {@code db} (runs and keys belong to one), with a unique name; answers its id. */
    public static UUID newUser(DataSource db) throws SQLException {
        UUID userId = UUID.randomUUID();
        try (Connection c = db.getConnection();
                PreparedStatement insert =
                        c.prepareStatement("insert into users (id, username, username_key, password_hash, "
                                + "created_at, updated_at) values (?, ?, ?, 'x', now(), now())")) {
            insert.setObject(1, userId);
            insert.setString(2, "u" + userId);
            insert.setString(3, "u" + userId);
            insert.executeUpdate();
        }
        return userId;
    }

    /** Drops the schema with everything in it. */
    @Override
    public void close() {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("drop schema if exists " + schema + " cascade");
        } catch (SQLException e) {
            // not reachable any more: nothing left to drop from here
        }
    }
}
