package org.aipipeline.runner.platform.control;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Tells a database that cannot be reached (or is shutting down, restarting, out of connections)
 * from a bug, whatever the layers wrapped it in: JPA's PersistenceException around EclipseLink's
 * DatabaseException, an EJBException, the pool's "Error in allocating a connection" SQLException
 * around a ResourceException, the driver's PSQLException around a ConnectException. The first is
 * a 503 the client may retry; the second stays a 500.
 *
 * <p>Decided by SQLState where there is one: class 08 (connection exception), 57P01/57P02/57P03
 * (admin or crash shutdown, cannot connect now), 53300 (too many connections); otherwise by the
 * JDBC 4 connection exception types, or a socket below an SQLException that could not connect.
 */
public final class DatabaseFailures {

    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300");

    /**
     * How the GlassFish/Payara pool says it could not hand out a connection, without an SQLSTATE;
     * the driver's own failure may be only in this message, not in the cause chain.
     */
    static final String POOL_COULD_NOT_CONNECT = "Error in allocating a connection";

    private DatabaseFailures() {}

    public static boolean isUnavailable(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        return isUnavailable(failure, false, seen) || poolCouldNotConnectWithoutSaying(failure);
    }

    /**
     * The pool's "could not connect" with no SQLSTATE anywhere below it: the driver's reason (e.g.
     * "the database system is shutting down") survived only as text. With a state below it, the
     * state decides (a missing database stays a configuration error).
     */
    private static boolean poolCouldNotConnectWithoutSaying(Throwable failure) {
        boolean poolSaidSo = false;
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 64; t = t.getCause(), depth++) {
            if (t instanceof SQLException sql) {
                if (sql.getSQLState() != null) {
                    return false;
                }
                poolSaidSo |= sql.getMessage() != null && sql.getMessage().startsWith(POOL_COULD_NOT_CONNECT);
            }
        }
        return poolSaidSo;
    }

    /** A socket that could not connect counts only below an SQLException: elsewhere it is not the database's. */
    private static boolean isUnavailable(Throwable t, boolean belowSql, Set<Throwable> seen) {
        if (t == null || !seen.add(t) || seen.size() > 64) {
            return false;
        }
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state))) {
                return true;
            }
            if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException) {
                return true;
            }
            if (isUnavailable(sql.getNextException(), true, seen)) {
                return true;
            }
        }
        boolean sqlSoFar = belowSql || t instanceof SQLException;
        if (belowSql
                && (t instanceof ConnectException
                        || t instanceof NoRouteToHostException
                        || t instanceof UnknownHostException)) {
            return true;
        }
        for (Throwable suppressed : t.getSuppressed()) {
            if (isUnavailable(suppressed, sqlSoFar, seen)) {
                return true;
            }
        }
        return isUnavailable(t.getCause(), sqlSoFar, seen);
    }
}
