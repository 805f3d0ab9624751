package org.aipipeline.runner.fileservice;

import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.boundary.FileServiceServer;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.aipipeline.runner.proto.files.FileServiceInterfaceGrpc;
import org.aipipeline.runner.proto.files.GetAllFilesRequest;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A real File Service for tests: fresh in-memory H2 in PostgreSQL mode migrated by the runner's
 * own Flyway migrations, a temporary file root, a server on a free port and a channel to it
 * (plaintext without a token unless the settings and the client say otherwise).
 */
public final class RunningFileService implements AutoCloseable {

    public final DataSource dataSource;
    public final Path root;
    public final FileServiceServer server;
    public final ManagedChannel channel;

    private RunningFileService(
            FileServiceServer.Settings settings, FileServiceServer server, FileServiceChannel client) {
        this.dataSource = settings.dataSource();
        this.root = settings.root();
        this.server = server;
        this.channel = client.open(FileServiceServer.DEFAULT_MAX_MESSAGE_BYTES);
    }

    public static RunningFileService start(Path root) {
        return start(root, migratedH2());
    }

    public static RunningFileService start(Path root, DataSource dataSource) {
        return start(FileServiceServer.Settings.of(0, dataSource, root), UnaryOperator.identity());
    }

    /** A File Service with these settings (port 0 picks a free one); {@link #channel} is {@code client} applied to its address. */
    public static RunningFileService start(
            FileServiceServer.Settings settings, UnaryOperator<FileServiceChannel> client) {
        FileServiceServer server = FileServiceServer.start(settings);
        return new RunningFileService(
                settings, server, client.apply(FileServiceChannel.plaintext(server.localTarget())));
    }

    public static DataSource migratedH2() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(
                "jdbc:h2:mem:files-" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        h2.setPassword("");
        migrate(h2);
        return h2;
    }

    public static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    /** One cheap call (a page of a new user's files, so 0) on a channel of its own, closed afterwards. */
    public static int listOnce(FileServiceChannel to) {
        ManagedChannel channel = to.open(1024 * 1024);
        try {
            return FileServiceInterfaceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .getAllFilesPaginated(GetAllFilesRequest.newBuilder()
                            .setUserGuid(UUID.randomUUID().toString())
                            .setPageNumber(1)
                            .setPageSize(1)
                            .build())
                    .getItemsCount();
        } finally {
            channel.shutdownNow();
        }
    }

    public FileServiceInterfaceGrpc.FileServiceInterfaceBlockingStub blocking() {
        return FileServiceInterfaceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    public FileServiceInterfaceGrpc.FileServiceInterfaceStub async() {
        return FileServiceInterfaceGrpc.newStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.stop(Duration.ofSeconds(5));
    }
}
