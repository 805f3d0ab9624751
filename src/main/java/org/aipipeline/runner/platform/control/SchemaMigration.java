package org.aipipeline.runner.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.lang.System.Logger.Level;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Owns the database: brings the schema up to date with Flyway before anything else starts (other
 * start-up beans declare {@code @DependsOn("SchemaMigration")}). The schema is only ever changed by
 * migrations in {@code db/migration}. The pool, {@code java:app/jdbc/runner}, is a standard
 * {@code <data-source>} in web.xml (why there, and not an annotation: see the comment there) over
 * {@link ConfiguredDataSource}.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class SchemaMigration {

    private static final System.Logger LOG = System.getLogger(SchemaMigration.class.getName());

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @PostConstruct
    void migrate() {
        MigrateResult result = Flyway.configure(SchemaMigration.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        LOG.log(
                Level.INFO,
                "Database schema at version {0} ({1} migrations applied now)",
                result.targetSchemaVersion,
                result.migrationsExecuted);
    }
}
