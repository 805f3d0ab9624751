package org.aipipeline.runner.platform.control;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * One database transaction on one pooled connection, without a container transaction around it.
 * The run path uses it where a JTA transaction adds nothing: a single resource, a few statements,
 * one commit. Work that the database aborts as a deadlock or serialization failure (SQLSTATE
 * 40P01 / 40001) is run again, up to {@value #ATTEMPTS} times: such work is written to be
 * repeatable from scratch.
 */
public final class LocalTransaction {

    private static final int ATTEMPTS = 3;

    /** The statements of one transaction, given its connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private LocalTransaction() {}

    /** Runs {@code work} and commits; rolls back (and rethrows) on any failure. */
    public static <T> T run(DataSource dataSource, Work<T> work) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try {
                return once(dataSource, work);
            } catch (SQLException e) {
                if (attempt >= ATTEMPTS || !isRetryable(e)) {
                    throw e;
                }
            }
        }
    }

    private static <T> T once(DataSource dataSource, Work<T> work) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            boolean committed = false;
            try {
                T result = work.run(connection);
                connection.commit();
                committed = true;
                return result;
            } finally {
                if (!committed) {
                    rollbackQuietly(connection);
                }
                connection.setAutoCommit(true);
            }
        }
    }

    static boolean isRetryable(SQLException e) {
        for (SQLException current = e; current != null; current = current.getNextException()) {
            String state = current.getSQLState();
            if ("40P01".equals(state) || "40001".equals(state)) {
                return true;
            }
        }
        return false;
    }

    private static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            // A broken connection; the pool validates and discards it.
        }
    }
}
