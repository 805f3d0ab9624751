package org.aipipeline.runner.pipelines.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The key's row on the embedded default (H2 in PostgreSQL mode, as the runner configures it): a
 * second claim of the same (user, key) fails as a unique violation that {@link IdempotencyKeys#isTaken}
 * recognises, whoever checked first; an expired row is replaced.
 */
class IdempotencyKeysOnH2Test {

    static JdbcDataSource h2;

    @BeforeAll
    static void migrate() {
        h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:idempotency-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        Flyway.configure()
                .dataSource(h2)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    private static IdempotencyKeys keys() {
        IdempotencyKeys keys = new IdempotencyKeys();
        keys.dataSource = h2;
        keys.retention = Duration.ofDays(1);
        return keys;
    }

    private static void claim(IdempotencyKeys keys, IdempotentRequest request, Instant at) throws SQLException {
        LocalTransaction.run(h2, connection -> {
            keys.claim(connection, request, new IdempotencyKeys.Original(202, "{}", UUID.randomUUID(), null), at);
            return null;
        });
    }

    @Test
    void aSecondClaimOfTheSameUsersKeyIsAUniqueViolation() throws SQLException {
        IdempotencyKeys keys = keys();
        UUID user = UUID.randomUUID();
        IdempotentRequest request = IdempotentRequest.of("k", user, "/Pipelines", "body");
        claim(keys, request, Instant.now());
        SQLException twin = assertThrows(SQLException.class, () -> claim(keys, request, Instant.now()));
        assertTrue(IdempotencyKeys.isTaken(twin), twin.getSQLState());
        claim(keys, IdempotentRequest.of("k", UUID.randomUUID(), "/Pipelines", "body"), Instant.now());
    }

    @Test
    void anExpiredKeyIsReplacedByItsNextUse() throws SQLException {
        IdempotencyKeys keys = keys();
        IdempotentRequest request = IdempotentRequest.of("old", UUID.randomUUID(), "/Pipelines", "body");
        claim(keys, request, Instant.now().minus(Duration.ofDays(2)));
        claim(keys, request, Instant.now());
        assertFalse(IdempotencyKeys.isTaken(new SQLException("other", "40001")));
        assertEquals(64, request.fingerprint().length());
    }
}
