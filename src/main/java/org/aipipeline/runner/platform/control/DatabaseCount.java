package org.aipipeline.runner.platform.control;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** A {@code select count(*) …} for a gauge: a scrape must not fail because the database is down. */
public final class DatabaseCount {

    private DatabaseCount() {}

    /** The count the statement answers, or -1 when the database cannot answer it now. */
    public static long of(DataSource dataSource, String countSql) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement(countSql);
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            return -1;
        }
    }
}
