package org.aipipeline.runner.platform.entity;

import javax.sql.DataSource;

/**
 * A data source for a PostgreSQL or H2 JDBC URL, with nothing but the JDK and the drivers: the
 * runner's pool ({@code ConfiguredDataSource}) and the standalone File Service, which runs
 * without the container's APIs, open their database the same way.
 */
public final class JdbcDataSources {

    private JdbcDataSources() {}

    /** @throws IllegalArgumentException the URL is neither {@code jdbc:postgresql:} nor {@code jdbc:h2:} */
    public static DataSource of(String url, String user, String password) {
        if (url.startsWith("jdbc:postgresql:")) {
            org.postgresql.ds.PGSimpleDataSource pg = new org.postgresql.ds.PGSimpleDataSource();
            pg.setUrl(url);
            pg.setUser(user);
            pg.setPassword(password);
            // Batched inserts (batch fan-out, results) become multi-row statements.
            pg.setReWriteBatchedInserts(true);
            return pg;
        }
        if (url.startsWith("jdbc:h2:")) {
            org.h2.jdbcx.JdbcDataSource h2 = new org.h2.jdbcx.JdbcDataSource();
            h2.setURL(url);
            h2.setUser(user);
            h2.setPassword(password);
            return h2;
        }
        throw new IllegalArgumentException("The database URL must be jdbc:postgresql: or jdbc:h2:, got " + url);
    }
}
