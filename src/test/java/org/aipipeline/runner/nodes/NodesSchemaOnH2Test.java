package org.aipipeline.runner.nodes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.aipipeline.runner.nodes.entity.Node;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The embedded default runs on H2 in PostgreSQL mode: the nodes migration and the registry's one
 * native statement (insert-if-absent) must work there as on PostgreSQL (which the IT covers).
 */
class NodesSchemaOnH2Test {

    @Test
    void migrationAndInsertIfAbsentWorkOnH2() throws Exception {
        String url =
                "jdbc:h2:mem:nodes-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1";
        Flyway.configure()
                .dataSource(url, "sa", "")
                .locations("classpath:db/migration")
                .load()
                .migrate();
        String insert = Node.INSERT_IF_ABSENT.replaceAll("\\?[0-9]", "?");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        try (Connection db = DriverManager.getConnection(url, "sa", "")) {
            assertEquals(1, insertNode(db, insert, now));
            assertEquals(0, insertNode(db, insert, now.plusSeconds(1)), "a second insert does nothing");
            try (PreparedStatement procedure = db.prepareStatement(
                    "insert into node_procedures (node_id, procedure_id,"
                            + " schema_version, input_scheme, output_scheme, position) values ('n', 'p', '1', '{}', '{}', 0)")) {
                procedure.executeUpdate();
            }
            try (PreparedStatement delete = db.prepareStatement("delete from nodes where id = 'n'")) {
                delete.executeUpdate();
            }
            try (ResultSet left = db.createStatement().executeQuery("select count(*) from node_procedures")) {
                left.next();
                assertEquals(0, left.getInt(1), "procedures go with their node");
            }
        }
    }

    private static int insertNode(Connection db, String insert, OffsetDateTime at) throws Exception {
        try (PreparedStatement statement = db.prepareStatement(insert)) {
            statement.setString(1, "n");
            for (int i = 2; i <= 4; i++) {
                statement.setObject(i, at);
            }
            return statement.executeUpdate();
        }
    }
}
