package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void aRefusedConnectionFromTheRealDriverIsAnOutage() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/nothing?connectTimeout=2";
        SQLException refused = assertThrows(SQLException.class, () -> DriverManager.getConnection(url, "postgres", "postgres"));
        assertTrue(DatabaseOutage.is(refused), refused.toString());
        assertTrue(DatabaseOutage.is(new RuntimeException("wrapped", refused)), "found through wrappers");
    }

    @Test
    void aServerShuttingDownIsAnOutage() {
        assertTrue(DatabaseOutage.is(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseOutage.is(new SQLException("the database system is starting up", "57P03")));
    }

    @Test
    void thePoolsOwnWordsForNoConnectionAreAnOutageThroughPersistenceWrappers() {
        SQLException pool = new SQLException("Error in allocating a connection. Cause: Connection could not be allocated "
                + "because: Connection to 127.0.0.1:5432 refused.");
        assertTrue(DatabaseOutage.is(new jakarta.persistence.PersistenceException("Exception [EclipseLink-4002]", pool)));
    }

    @Test
    void aRefusedStatementIsNotAnOutage() {
        assertFalse(DatabaseOutage.is(new SQLException("unsupported Unicode escape sequence", "22P05")));
        assertFalse(DatabaseOutage.is(new SQLException("duplicate key value", "23505")));
        assertFalse(DatabaseOutage.is(new IllegalStateException("no SQL at all")));
    }

    @Test
    void aStateFoundInTheNextExceptionChainCounts() {
        SQLException batch = new SQLException("Batch entry 0 was aborted", "XX000");
        batch.setNextException(new SQLException("An I/O error occurred while sending to the backend", "08006"));
        assertTrue(DatabaseOutage.is(batch));
    }
}
