package org.aipipeline.runner.fileservice.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.aipipeline.runner.fileservice.entity.BearerToken;
import org.aipipeline.runner.fileservice.entity.FileScope;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The File Service as the runner's embedded default: started after the schema migration when
 * {@code files.service.address} is empty, on {@code files.service.port} of
 * {@code files.service.bind-address} (loopback unless configured), over the runner's own data
 * source; the expiry sweep runs on the container's scheduler. With an address configured the
 * runner talks to that File Service and this bean starts nothing. Either way it works out, once
 * at start-up, how the runner's client reaches the File Service ({@link #channel()}: address,
 * token, TLS), so a wrong token file or certificate path stops the start with a clear message.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
// Catalog statements auto-commit on their own; they must not join a container transaction.
@TransactionManagement(TransactionManagementType.BEAN)
public class EmbeddedFileService {

    private static final System.Logger LOG = System.getLogger(EmbeddedFileService.class.getName());

    @Inject
    @ConfigProperty(name = "files.service.address")
    Optional<String> externalAddress;

    @Inject
    @ConfigProperty(name = "files.service.port")
    int port;

    @Inject
    @ConfigProperty(name = "files.service.bind-address")
    Optional<String> bindAddress;

    @Inject
    @ConfigProperty(name = "files.service.token")
    Optional<String> token;

    @Inject
    @ConfigProperty(name = "files.service.token-file")
    Optional<String> tokenFile;

    @Inject
    @ConfigProperty(name = "files.service.tls.cert-path")
    Optional<String> tlsCertPath;

    @Inject
    @ConfigProperty(name = "files.service.tls.key-path")
    Optional<String> tlsKeyPath;

    @Inject
    @ConfigProperty(name = "files.service.tls.trust-cert-path")
    Optional<String> tlsTrustCertPath;

    @Inject
    @ConfigProperty(name = "files.service.tls.authority")
    Optional<String> tlsAuthority;

    @Inject
    @ConfigProperty(name = "files.root")
    Optional<String> root;

    @Inject
    @ConfigProperty(name = "data.dir")
    String dataDir;

    @Inject
    @ConfigProperty(name = "files.sweep.interval")
    Duration sweepInterval;

    @Inject
    @ConfigProperty(name = "files.temporary.lifetime")
    Duration temporaryLifetime;

    @Inject
    @ConfigProperty(name = "files.short-term.lifetime")
    Duration shortTermLifetime;

    @Inject
    @ConfigProperty(name = "files.service.max-message-size")
    int maxMessageBytes;

    /** False when deployed into a shared application server: then a failed start only fails the deployment. */
    @Inject
    @ConfigProperty(name = "platform.startup.exit-on-failure", defaultValue = "true")
    boolean exitOnFailure;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    // Container-aware threads (JNDI, class loader) in a pool of our own, so slow transfers
    // cannot starve the application's shared managed executor.
    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threadFactory;

    private FileServiceServer server;
    private FileServiceChannel channel;
    private ExecutorService calls;
    private ScheduledFuture<?> sweeps;

    @PostConstruct
    void start() {
        try {
            Optional<BearerToken> bearer = BearerToken.configured(token.orElse(null), tokenFile.orElse(null));
            if (externalAddress.filter(a -> !a.isBlank()).isPresent()) {
                channel = FileServiceChannel.plaintext(externalAddress.get().strip())
                        .withCredentials(
                                FileServiceTls.client(tlsTrustCertPath.orElse(null)), tlsAuthority.orElse(null))
                        .withToken(bearer);
                LOG.log(Level.INFO, "Using the File Service at {0}; the embedded one stays off", channel);
                return;
            }
            calls = Executors.newCachedThreadPool(threadFactory);
            Path files = root.filter(r -> !r.isBlank()).map(Path::of).orElse(Path.of(dataDir, "files"));
            server = FileServiceServer.start(FileServiceServer.Settings.of(port, dataSource, files)
                    .withBindAddress(bindAddress.orElse(""))
                    .withCredentials(FileServiceTls.server(tlsCertPath.orElse(null), tlsKeyPath.orElse(null)))
                    .withToken(bearer)
                    .withLifetimes(new FileScope.Lifetimes(temporaryLifetime, shortTermLifetime))
                    .withMaxMessageBytes(maxMessageBytes)
                    .withExecutor(calls));
            // The runner's own client speaks TLS to a TLS server, trusting its certificate unless told otherwise.
            String trusted =
                    FileServiceTls.isSet(tlsCertPath.orElse(null)) ? tlsTrustCertPath.orElse(tlsCertPath.get()) : null;
            channel = FileServiceChannel.plaintext(server.localTarget())
                    .withCredentials(FileServiceTls.client(trusted), tlsAuthority.orElse(null))
                    .withToken(bearer);
        } catch (UncheckedIOException | IllegalArgumentException e) {
            // A runner without its File Service cannot take uploads or run file pipelines: it must
            // not linger half alive. Exit from another thread: this one holds deployment locks
            // that the container's shutdown hooks need.
            LOG.log(Level.ERROR, "Cannot start: " + e.getMessage() + (exitOnFailure ? ". Exiting with status 1." : ""));
            System.err.println("Orchestration Runner cannot start: " + e.getMessage());
            if (exitOnFailure) {
                new Thread(() -> System.exit(1), "runner-fatal-startup-exit").start();
            }
            stop();
            throw e;
        }
        long every = sweepInterval.toMillis();
        sweeps = scheduler.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    private void sweep() {
        try {
            server.sweep().sweep(Instant.now());
        } catch (RuntimeException e) {
            // A thrown exception would cancel all later runs.
            LOG.log(Level.WARNING, "Expiry sweep failed; the next one retries", e);
        }
    }

    /**
     * How the runner's client reaches the File Service, embedded or external: produced for
     * injection, so the {@code files} area needs nothing of this boundary.
     */
    @Produces
    public FileServiceChannel channel() {
        return channel;
    }

    @PreDestroy
    void stop() {
        if (sweeps != null) {
            sweeps.cancel(false);
        }
        if (server != null) {
            server.stop(Duration.ofSeconds(5));
        }
        if (calls != null) {
            calls.shutdownNow();
        }
    }
}
