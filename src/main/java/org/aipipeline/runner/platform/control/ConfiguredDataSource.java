package org.aipipeline.runner.platform.control;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.entity.JdbcDataSources;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The physical connection factory behind the container's JDBC pool ({@code java:app/jdbc/runner}).
 *
 * <p>Why a class of our own: the pool is created at deployment, before the WAR's
 * microprofile-config.properties is reliably visible to server resources, and it must pick
 * between PostgreSQL ({@code DB_URL} set) and the embedded H2 file database (no {@code DB_URL}).
 * Reading MicroProfile Config here, lazily, on the first physical connection, gives both with
 * one definition that works on Payara Micro, Payara Server and WildFly alike.
 */
public class ConfiguredDataSource implements DataSource {

    /** H2 in PostgreSQL mode so the same Flyway migrations and queries run on both. */
    static final String H2_OPTIONS = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

    private volatile DataSource target;
    private PrintWriter logWriter;
    private int loginTimeout;
    private String description;

    @Override
    public Connection getConnection() throws SQLException {
        return target().getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return target().getConnection(username, password);
    }

    private DataSource target() {
        DataSource current = target;
        if (current == null) {
            synchronized (this) {
                if (target == null) {
                    target = create(ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader()));
                }
                current = target;
            }
        }
        return current;
    }

    static DataSource create(Config config) {
        String url = config.getOptionalValue("db.url", String.class).orElse("");
        String user = config.getOptionalValue("db.user", String.class).orElse("");
        String password = config.getOptionalValue("db.password", String.class).orElse("");
        if (url.isBlank()) {
            String dataDir = config.getOptionalValue("data.dir", String.class).orElse("./data");
            url = embeddedUrl(Path.of(dataDir));
            user = "runner";
            password = "runner";
        }
        return JdbcDataSources.of(url, user, password);
    }

    static String embeddedUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve("runner") + H2_OPTIONS;
    }

    /** Only a label; a bean property so that WildFly has a connection property to set (see web.xml). */
    public void setDescription(String description) {
        this.description = description;
    }

    public String getDescription() {
        return description;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("Not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
