package org.aipipeline.runner.fileservice.boundary;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.control.ExpirySweep;
import org.aipipeline.runner.fileservice.control.FileBlobs;
import org.aipipeline.runner.fileservice.control.FileCatalog;
import org.aipipeline.runner.fileservice.control.FileStore;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileScope;

/**
 * A running File Service: gRPC server, storage and sweep wired together. Knows nothing about
 * its host, so the runner (EmbeddedFileService), the standalone main and the tests start it
 * the same way. The metadata table must exist (Flyway migration V2) before it starts.
 *
 * <p>Safe unless told otherwise: it listens on loopback only; with a token every call must carry
 * it; with TLS credentials it speaks TLS. Listening beyond loopback without a token is allowed
 * (trusted networks, wire compatibility with nodes that send nothing) but logged as a warning.
 */
public final class FileServiceServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(FileServiceServer.class.getName());

    /** Enough for a unary upload of the runner's largest accepted file (100 MiB) plus framing. */
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 256 * 1024 * 1024;
    /** Where a File Service listens unless told otherwise: only this machine can call it. */
    public static final String LOOPBACK = "127.0.0.1";

    private final Server server;
    private final ExpirySweep sweep;
    private final String localHost;

    /**
     * @param bindAddress     host or IP to listen on; null or blank for loopback ({@value #LOOPBACK}),
     *                        {@code 0.0.0.0} or {@code ::} for every interface
     * @param port            0 picks a free port, see {@link #port()}
     * @param credentials     plaintext or TLS, see {@link FileServiceTls#server}
     * @param token           the token every call must carry; null for none
     * @param executor        runs the calls; null for gRPC's own cached pool
     */
    public record Settings(
            String bindAddress,
            int port,
            DataSource dataSource,
            Path root,
            FileScope.Lifetimes lifetimes,
            int maxMessageBytes,
            ServerCredentials credentials,
            BearerToken token,
            Executor executor) {

        /** Loopback, plaintext, no token: reachable from this machine only. */
        public static Settings of(int port, DataSource dataSource, Path root) {
            return new Settings(
                    LOOPBACK,
                    port,
                    dataSource,
                    root,
                    FileScope.Lifetimes.DEFAULT,
                    DEFAULT_MAX_MESSAGE_BYTES,
                    InsecureServerCredentials.create(),
                    null,
                    null);
        }

        public Settings withBindAddress(String address) {
            return new Settings(
                    address, port, dataSource, root, lifetimes, maxMessageBytes, credentials, token, executor);
        }

        public Settings withLifetimes(FileScope.Lifetimes value) {
            return new Settings(
                    bindAddress, port, dataSource, root, value, maxMessageBytes, credentials, token, executor);
        }

        public Settings withMaxMessageBytes(int value) {
            return new Settings(bindAddress, port, dataSource, root, lifetimes, value, credentials, token, executor);
        }

        public Settings withCredentials(ServerCredentials value) {
            return new Settings(
                    bindAddress, port, dataSource, root, lifetimes, maxMessageBytes, value, token, executor);
        }

        public Settings withToken(Optional<BearerToken> value) {
            return new Settings(
                    bindAddress,
                    port,
                    dataSource,
                    root,
                    lifetimes,
                    maxMessageBytes,
                    credentials,
                    value.orElse(null),
                    executor);
        }

        public Settings withExecutor(Executor value) {
            return new Settings(
                    bindAddress, port, dataSource, root, lifetimes, maxMessageBytes, credentials, token, value);
        }

        /** The host to listen on: the bind address, loopback when none is given. */
        String host() {
            return bindAddress == null || bindAddress.isBlank() ? LOOPBACK : bindAddress.strip();
        }
    }

    private FileServiceServer(Server server, ExpirySweep sweep, String localHost) {
        this.server = server;
        this.sweep = sweep;
        this.localHost = localHost;
    }

    public static FileServiceServer start(Settings settings) {
        FileCatalog catalog = new FileCatalog(settings.dataSource());
        FileBlobs blobs = new FileBlobs(settings.root());
        FileStore store = new FileStore(catalog, blobs, settings.lifetimes(), Clock.systemUTC());
        InetSocketAddress address = new InetSocketAddress(settings.host(), settings.port());
        ServerBuilder<?> builder = builderFor(address, settings.credentials());
        builder.addService(new FileServiceEndpoint(store, settings.maxMessageBytes()))
                .maxInboundMessageSize(settings.maxMessageBytes());
        if (settings.token() != null) {
            builder.intercept(new BearerTokenGuard(settings.token()));
        }
        if (settings.executor() != null) {
            builder.executor(settings.executor());
        }
        try {
            Server server = builder.build().start();
            LOG.log(
                    Level.INFO,
                    "File Service listening on {0}:{1,number,#} ({2}, {3}), files under {4}",
                    settings.host(),
                    server.getPort(),
                    settings.credentials() instanceof TlsServerCredentials ? "TLS" : "plaintext",
                    settings.token() == null ? "no token" : "token required",
                    blobs.root());
            if (settings.token() == null
                    && address.getAddress() != null
                    && !address.getAddress().isLoopbackAddress()) {
                LOG.log(Level.WARNING, exposedWithoutToken(settings.host() + ":" + server.getPort()));
            }
            // Listening on every interface includes loopback; otherwise only the bound address answers.
            boolean everywhere =
                    address.getAddress() != null && address.getAddress().isAnyLocalAddress();
            String local = everywhere
                    ? LOOPBACK
                    : settings.host().contains(":") ? "[" + settings.host() + "]" : settings.host();
            return new FileServiceServer(server, new ExpirySweep(catalog, blobs), local);
        } catch (IOException e) {
            throw new UncheckedIOException(cannotListen(settings, e), e);
        }
    }

    private static ServerBuilder<?> builderFor(InetSocketAddress address, ServerCredentials credentials) {
        try {
            return NettyServerBuilder.forAddress(address, credentials);
        } catch (IllegalArgumentException e) {
            // gRPC builds the TLS context here: a key that does not parse or fit the certificate
            throw new IllegalArgumentException(
                    "The File Service cannot use its TLS certificate and key ("
                            + FileServiceTls.CERT_SETTING + ", " + FileServiceTls.KEY_SETTING
                            + "; the key must be an unencrypted PKCS#8 "
                            + "PEM, BEGIN PRIVATE KEY): " + e.getMessage(),
                    e);
        }
    }

    /** The warning for a File Service reachable from other machines that anyone may call. */
    static String exposedWithoutToken(String where) {
        return "The File Service listens on " + where
                + " without a token: anyone who can reach this port can list, read "
                + "and delete every user's files. Set FILES_SERVICE_TOKEN (or FILES_SERVICE_TOKEN_FILE) to a long random "
                + "secret (e.g. openssl rand -hex 32) for the File Service, the runner and the nodes, or listen on "
                + LOOPBACK + " only (FILES_SERVICE_BIND_ADDRESS)";
    }

    /** Says which port, whether it is taken, and the setting that moves it. */
    static String cannotListen(Settings settings, IOException e) {
        boolean taken = false;
        for (Throwable t = e; t != null && !taken; t = t.getCause() == t ? null : t.getCause()) {
            // Netty's native transport reports it as its own IOException, not a BindException
            taken = t instanceof java.net.BindException
                    || (t.getMessage() != null && t.getMessage().contains("Address already in use"));
        }
        String where = settings.host() + ":" + settings.port();
        return "The File Service cannot listen on " + where
                + (taken
                        ? ": the port is taken by another process (another runner or File Service?)"
                        : ": " + e.getMessage())
                + "; stop that process or choose another port with FILES_SERVICE_PORT (files.service.port, --port)";
    }

    /** The actual port, also when started on port 0. */
    public int port() {
        return server.getPort();
    }

    /** The {@code host:port} a client on this machine calls this server at. */
    public String localTarget() {
        return localHost + ":" + port();
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
