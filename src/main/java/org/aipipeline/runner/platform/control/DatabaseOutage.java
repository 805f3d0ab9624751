package org.aipipeline.runner.platform.control;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Tells "the database is not there" (no connection, shutting down, too many connections) from
 * "the database refused this work" (a constraint, a bad value). The first passes by itself and
 * the work should wait and try again for as long as it takes; the second will fail the same way
 * every time, so whoever retries it must give up at some point.
 */
public final class DatabaseOutage {

    /** SQLSTATEs of a database that is down, starting or stopping, or out of connections. */
    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300", "53400");

    /**
     * How the application server's pool (GlassFish/Payara) says it could not hand out a
     * connection, without an SQLSTATE; the driver's own failure is only in the message.
     */
    static final String POOL_EXHAUSTED = "Error in allocating a connection";

    private DatabaseOutage() {
    }

    /** True if {@code failure}, or anything in its cause or next-exception chain, says the database is unreachable. */
    public static boolean is(Throwable failure) {
        int depth = 0;
        for (Throwable current = failure; current != null && depth < 20; current = current.getCause(), depth++) {
            if (current instanceof ConnectException
                    || current instanceof SQLTransientConnectionException
                    || current instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (current instanceof SQLException sql && sql.getSQLState() == null && sql.getMessage() != null
                    && sql.getMessage().startsWith(POOL_EXHAUSTED)) {
                return true;
            }
            if (current instanceof SQLException sql) {
                for (SQLException next = sql; next != null && depth < 20; next = next.getNextException(), depth++) {
                    String state = next.getSQLState();
                    if (state != null && (state.startsWith("08") || STATES.contains(state))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
