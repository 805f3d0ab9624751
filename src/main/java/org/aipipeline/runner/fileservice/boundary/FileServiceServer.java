package org.aipipeline.runner.fileservice.boundary;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.control.ExpirySweep;
import org.aipipeline.runner.fileservice.control.FileBlobs;
import org.aipipeline.runner.fileservice.control.FileCatalog;
import org.aipipeline.runner.fileservice.control.FileStore;
import org.aipipeline.runner.fileservice.entity.FileScope;

/**
 * A running File Service: gRPC server, storage and sweep wired together. Knows nothing about
 * its host, so the runner (EmbeddedFileService), the standalone main and the tests start it
 * the same way. The metadata table must exist (Flyway migration V2) before it starts.
 */
public final class FileServiceServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileServiceServer.class.getName());

    /** Enough for a unary upload of the runner's largest accepted file (100 MiB) plus framing. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

    private final Server server;
    private final ExpirySweep sweep;

    /**
     * @param bindAddress     host or IP to listen on; null or blank for every interface
     * @param port            0 picks a free port, see {@link #port()}
     * @param executor        runs the calls; null for gRPC's own cached pool
     */
    public record Settings(String bindAddress, int port, DataSource dataSource, Path root,
                           FileScope.Lifetimes lifetimes, int maxMessageBytes, Executor executor) {

        public static Settings of(int port, DataSource dataSource, Path root) {
            return new Settings(null, port, dataSource, root, FileScope.Lifetimes.DEFAULT, DEFAULT_MAX_MESSAGE_BYTES, null);
        }

        public Settings withBindAddress(String address) {
            return new Settings(address, port, dataSource, root, lifetimes, maxMessageBytes, executor);
        }

        public Settings withLifetimes(FileScope.Lifetimes value) {
            return new Settings(bindAddress, port, dataSource, root, value, maxMessageBytes, executor);
        }

        public Settings withMaxMessageBytes(int value) {
            return new Settings(bindAddress, port, dataSource, root, lifetimes, value, executor);
        }

        public Settings withExecutor(Executor value) {
            return new Settings(bindAddress, port, dataSource, root, lifetimes, maxMessageBytes, value);
        }
    }

    private FileServiceServer(Server server, ExpirySweep sweep) {
        this.server = server;
        this.sweep = sweep;
    }

    public static FileServiceServer start(Settings settings) {
        FileCatalog catalog = new FileCatalog(settings.dataSource());
        FileBlobs blobs = new FileBlobs(settings.root());
        FileStore store = new FileStore(catalog, blobs, settings.lifetimes(), Clock.systemUTC());
        ServerBuilder<?> builder = settings.bindAddress() == null || settings.bindAddress().isBlank()
                ? Grpc.newServerBuilderForPort(settings.port(), InsecureServerCredentials.create())
                : NettyServerBuilder.forAddress(new InetSocketAddress(settings.bindAddress(), settings.port()));
        builder.addService(new FileServiceEndpoint(store, settings.maxMessageBytes()))
                .maxInboundMessageSize(settings.maxMessageBytes());
        if (settings.executor() != null) {
            builder.executor(settings.executor());
        }
        try {
            Server server = builder.build().start();
            LOG.log(Level.INFO, "File Service listening on port {0,number,#}, files under {1}", server.getPort(), blobs.root());
            return new FileServiceServer(server, new ExpirySweep(catalog, blobs));
        } catch (IOException e) {
            throw new UncheckedIOException(cannotListen(settings, e), e);
        }
    }

    /** Says which port, whether it is taken, and the setting that moves it. */
    static String cannotListen(Settings settings, IOException e) {
        boolean taken = false;
        for (Throwable t = e; t != null && !taken; t = t.getCause() == t ? null : t.getCause()) {
            // Netty's native transport reports it as its own IOException, not a BindException
            taken = t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"));
        }
        String where = (settings.bindAddress() == null || settings.bindAddress().isBlank() ? "" : settings.bindAddress() + ":")
                + settings.port();
        return "The File Service cannot listen on " + where
                + (taken ? ": the port is taken by another process (another runner or File Service?)" : ": " + e.getMessage())
                + "; stop that process or choose another port with FILES_SERVICE_PORT (files.service.port, --port)";
    }

    /** The actual port, also when started on port 0. */
    public int port() {
        return server.getPort();
    }

    public ExpirySweep sweep() {
        return sweep;
    }

    /** Blocks until the server has stopped, for a standalone main. */
    public void awaitTermination() throws InterruptedException {
        server.awaitTermination();
    }

    /** Stops taking calls, lets running ones finish for up to {@code grace}, then cancels the rest. */
    public void stop(Duration grace) {
        server.shutdown();
        try {
            if (!server.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        LOG.log(Level.INFO, "File Service stopped");
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
