package org.aipipeline.runner.messaging;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.LocalTransaction;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A change of state and the messages that announce it, committed together: the work runs in one
 * transaction that also puts its messages into the {@link Outbox}, and after the commit they are
 * handed to the {@link OutboxPublisher} (the relay sends what a crash left behind). So a message
 * is never sent for a change that did not commit, nor lost for one that did.
 */
@ApplicationScoped
public class AnnouncedChanges {

    @Inject
    Outbox outbox;

    @Inject
    OutboxPublisher publisher;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Inject
    @ConfigProperty(name = "pipelines.outbox.min-age", defaultValue = "PT10S")
    Duration relayAfter;

    /** For CDI. */
    protected AnnouncedChanges() {}

    /** For plain use and tests. */
    public AnnouncedChanges(Outbox outbox, OutboxPublisher publisher, DataSource dataSource, Duration relayAfter) {
        this.outbox = outbox;
        this.publisher = publisher;
        this.dataSource = dataSource;
        this.relayAfter = relayAfter;
    }

    /** What the work did, and the messages that announce it (none: nothing to send). */
    public record Change<T>(T result, List<OutboxMessage> messages) {

        public Change {
            messages = List.copyOf(messages);
        }
    }

    /** Work done on the transaction's connection. */
    @FunctionalInterface
    public interface Work<T> {
        Change<T> on(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} and stores its messages in one transaction (run again whole on a deadlock),
     * then hands them to the publisher; answers the work's result.
     *
     * @throws SQLException the transaction failed: nothing was changed or sent
     */
    public <T> T commit(Instant now, Work<T> work) throws SQLException {
        record Done<T>(T result, List<OutboxEntry> entries) {}
        Done<T> done = LocalTransaction.run(dataSource, connection -> {
            Change<T> change = work.on(connection);
            return new Done<>(
                    change.result(),
                    change.messages().isEmpty()
                            ? List.of()
                            : outbox.add(connection, change.messages(), now, relayAfter));
        });
        if (!done.entries().isEmpty()) {
            publisher.send(done.entries());
        }
        return done.result();
    }
}
