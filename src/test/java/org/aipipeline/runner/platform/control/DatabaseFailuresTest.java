package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJBException;
import jakarta.persistence.PersistenceException;
import jakarta.resource.ResourceException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The classifier over real failures of the PostgreSQL driver (a closed port, a backend terminated
 * under a live connection, ordinary SQL errors), each also wrapped the way the pool, JPA and the
 * EJB container wrap them.
 */
class DatabaseFailuresTest {

    private static final String URL = System.getProperty("it.db.url", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = System.getProperty("it.db.user", "postgres");
    private static final String PASSWORD = System.getProperty("it.db.password", "postgres");

    /** How the layers above the driver hand a failure to the REST boundary. */
    private static final List<Function<Throwable, Throwable>> WRAPPINGS = List.of(
            t -> t,
            t -> new PersistenceException("Exception [EclipseLink-4002]", t),
            t -> new EJBException(new PersistenceException(t)),
            // the pool: "Error in allocating a connection" around the connector's ResourceException
            t -> new EJBException(new PersistenceException(new SQLException(
                    "Error in allocating a connection. Cause: Connection could not be allocated",
                    new ResourceException(t)))));

    @Test
    void aClosedPortIsUnavailableHoweverWrapped() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        SQLException refused = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:" + closedPort + "/runner?connectTimeout=5", USER, PASSWORD));
        assertEquals("08001", refused.getSQLState(), refused.toString());
        for (Function<Throwable, Throwable> wrap : WRAPPINGS) {
            assertTrue(
                    DatabaseFailures.isUnavailable(wrap.apply(refused)),
                    wrap.apply(refused).toString());
        }
    }

    @Test
    void aBackendTerminatedUnderALiveConnectionIsUnavailable() throws SQLException {
        SQLException terminated;
        try (Connection victim = DriverManager.getConnection(URL, USER, PASSWORD);
                Connection admin = DriverManager.getConnection(URL, USER, PASSWORD)) {
            int pid;
            try (Statement statement = victim.createStatement();
                    ResultSet rs = statement.executeQuery("select pg_backend_pid()")) {
                rs.next();
                pid = rs.getInt(1);
            }
            try (Statement statement = admin.createStatement()) {
                statement.execute("select pg_terminate_backend(" + pid + ")");
            }
            terminated = assertThrows(SQLException.class, () -> {
                try (Statement statement = victim.createStatement()) {
                    statement.executeQuery("select 1");
                }
            });
        }
        // 57P01 (admin shutdown) if the notice arrived first, else 08006 (connection failure)
        assertTrue(List.of("57P01", "08006", "08003").contains(terminated.getSQLState()), terminated.getSQLState());
        for (Function<Throwable, Throwable> wrap : WRAPPINGS) {
            assertTrue(DatabaseFailures.isUnavailable(wrap.apply(terminated)));
        }
    }

    @Test
    void ordinarySqlErrorsAreNotUnavailability() throws SQLException {
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            for (String sql : List.of("selec 1", "select 1/0", "select * from no_such_table_here")) {
                SQLException e = assertThrows(SQLException.class, () -> statement.executeQuery(sql));
                for (Function<Throwable, Throwable> wrap : WRAPPINGS) {
                    assertFalse(DatabaseFailures.isUnavailable(wrap.apply(e)), sql + ": " + e.getSQLState());
                }
            }
        }
    }

    @Test
    void aMissingDatabaseIsAConfigurationErrorNotAnOutage() {
        SQLException missing = assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(
                        URL.replaceFirst("/[^/?]*(\\?|$)", "/no_such_database_here$1"), USER, PASSWORD));
        assertEquals("3D000", missing.getSQLState());
        assertFalse(DatabaseFailures.isUnavailable(missing));
    }

    @Test
    void thePoolsOwnWordsWithNothingBelowThemAreAnOutage() {
        SQLException pool =
                new SQLException("Error in allocating a connection. Cause: Connection could not be allocated "
                        + "because: FATAL: the database system is shutting down");
        assertTrue(DatabaseFailures.isUnavailable(
                new jakarta.persistence.PersistenceException("Exception [EclipseLink-4002]", pool)));
        SQLException missing = new SQLException("database \"x\" does not exist", "3D000");
        assertFalse(
                DatabaseFailures.isUnavailable(
                        new SQLException("Error in allocating a connection. Cause: no database", missing)),
                "a state below the pool's words decides");
    }

    @Test
    void aStateInTheNextExceptionChainCounts() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "XX000");
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend", "08006"));
        assertTrue(DatabaseFailures.isUnavailable(batch));
    }

    @Test
    void aRefusedSocketOutsideJdbcIsNotTheDatabases() {
        assertFalse(
                DatabaseFailures.isUnavailable(new IllegalStateException(new ConnectException("Connection refused"))));
        assertFalse(DatabaseFailures.isUnavailable(new NullPointerException()));
    }

    @Test
    void aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(DatabaseFailures.isUnavailable(a));
    }
}
