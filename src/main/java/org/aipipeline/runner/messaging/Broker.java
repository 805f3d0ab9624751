package org.aipipeline.runner.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Owns the runner's single RabbitMQ connection.
 *
 * <p>Invariant: at most one connection exists; once made, amqp-client's automatic recovery keeps
 * it (and the channels, declarations and consumers made on it) alive, so this class only has to
 * get the <em>first</em> connection, which amqp-client does not retry. Until then the runner runs
 * without a broker, reports not-ready, and retries on the container's scheduler. Work that needs
 * the connection registers with {@link #onConnected} and runs once connected, whatever the order
 * of start-up. It starts with the application because the start-up singletons (the queue
 * consumers) and the periodic work use it at once; nothing else starts it.
 */
@ApplicationScoped
public class Broker {

    private static final System.Logger LOG = System.getLogger(Broker.class.getName());
    private static final String CONNECTION_NAME = "orchestration-runner";

    /** Something to do with a fresh connection: declare topology, start a consumer. */
    @FunctionalInterface
    public interface ConnectionListener {
        void connected(Connection connection) throws Exception;
    }

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory containerThreads;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService containerScheduler;

    private ConnectionFactory factory;
    private ScheduledExecutorService scheduler;
    private Duration retryInterval;
    private AutoCloseable embeddedBroker;

    private final List<ConnectionListener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> recoveryListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> closingHooks = new CopyOnWriteArrayList<>();
    private volatile Connection connection;
    private volatile ScheduledFuture<?> retry;
    private volatile boolean closed;
    private int failedAttempts; // guarded by this
    private volatile String lastError = "not connected yet";

    /** For CDI; the container's resources are wired in {@link #init()}. */
    protected Broker() {}

    /** For plain use and tests: connects with this factory and retries on this scheduler. */
    public Broker(ConnectionFactory factory, ScheduledExecutorService scheduler, Duration retryInterval) {
        this.factory = factory;
        this.scheduler = scheduler;
        this.retryInterval = retryInterval;
    }

    @PostConstruct
    void init() {
        Config config = ConfigProvider.getConfig(Broker.class.getClassLoader());
        MessagingSettings settings = MessagingSettings.from(config);
        EmbeddedBrokerSettings embedded = EmbeddedBrokerSettings.from(config);
        String url = settings.effectiveUrl();
        if (settings.url().isEmpty() && embedded.enabled()) {
            EmbeddedBroker started = EmbeddedBroker.startIfNothingListens(embedded);
            embeddedBroker = started;
            url = started != null ? started.uri() : "amqp://guest:guest@localhost:" + embedded.port();
        }
        factory = connectionFactory(url, settings.recoveryInterval());
        // amqp-client's I/O, heartbeat and recovery threads come from the container, not new Thread().
        factory.setThreadFactory(containerThreads);
        scheduler = containerScheduler;
        retryInterval = settings.recoveryInterval();
        start();
    }

    /** A factory with the runner's recovery settings for the broker at {@code url} (amqp:// or amqps://). */
    public static ConnectionFactory connectionFactory(String url, Duration recoveryInterval) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(url);
        } catch (URISyntaxException e) {
            // The exception's message and its cause quote the whole URL, password included: say only why.
            throw new IllegalArgumentException(
                    "rabbitmq.url is not a valid AMQP URI (amqp[s]://user:password@host:port/vhost): " + e.getReason());
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("rabbitmq.url: cannot set up TLS for amqps: " + e.getMessage(), e);
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(recoveryInterval.toMillis());
        factory.setConnectionTimeout(5_000);
        factory.setRequestedHeartbeat(30);
        return factory;
    }

    /** Connects now if possible, otherwise keeps retrying in the background. Idempotent. */
    public void start() {
        tryConnect();
    }

    private void tryConnect() {
        List<ConnectionListener> toRun;
        Connection made;
        synchronized (this) {
            if (closed || connection != null) {
                return;
            }
            try {
                made = factory.newConnection(CONNECTION_NAME);
            } catch (IOException | TimeoutException | RuntimeException e) {
                boolean firstFailure = failedAttempts++ == 0;
                lastError = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                // Once at WARNING, then quietly: a broker that is down for an hour must not flood the log.
                LOG.log(
                        firstFailure ? Level.WARNING : Level.DEBUG,
                        "RabbitMQ at {0}:{1} not reachable ({2}); retrying every {3} ms until it is",
                        factory.getHost(),
                        String.valueOf(factory.getPort()),
                        lastError,
                        retryInterval.toMillis());
                retry = scheduler.schedule(this::tryConnect, retryInterval.toMillis(), TimeUnit.MILLISECONDS);
                return;
            }
            watch(made);
            connection = made;
            lastError = null;
            toRun = List.copyOf(listeners);
        }
        LOG.log(
                Level.INFO,
                "Connected to RabbitMQ at {0}:{1}{2}",
                factory.getHost(),
                String.valueOf(factory.getPort()),
                embeddedBroker != null ? " (the embedded broker)" : "");
        toRun.forEach(listener -> runListener(listener, made));
    }

    private void watch(Connection made) {
        made.addShutdownListener(cause -> {
            if (!cause.isInitiatedByApplication()) {
                lastError = String.valueOf(cause.getMessage());
                LOG.log(Level.WARNING, "RabbitMQ connection lost ({0}); recovering", lastError);
            }
        });
        if (made instanceof Recoverable recoverable) {
            recoverable.addRecoveryListener(new RecoveryListener() {
                @Override
                public void handleRecovery(Recoverable recovered) {
                    lastError = null;
                    LOG.log(Level.INFO, "RabbitMQ connection recovered");
                    recoveryListeners.forEach(Runnable::run);
                }

                @Override
                public void handleRecoveryStarted(Recoverable recovering) {
                    LOG.log(Level.DEBUG, "RabbitMQ connection recovery started");
                }
            });
        }
    }

    /**
     * Runs {@code listener} with the connection now if there is one, else once connected. A
     * listener that fails is retried after the retry interval while the connection is open, so
     * a consumer whose queue is missing for a moment still starts.
     */
    public void onConnected(ConnectionListener listener) {
        Connection current;
        synchronized (this) {
            listeners.add(listener);
            current = connection;
        }
        if (current != null) {
            runListener(listener, current);
        }
    }

    private void runListener(ConnectionListener listener, Connection target) {
        if (closed || target != connection) {
            return;
        }
        try {
            listener.connected(target);
        } catch (Exception e) {
            LOG.log(
                    Level.WARNING,
                    "Work on the RabbitMQ connection failed; retrying in " + retryInterval.toMillis() + " ms",
                    e);
            scheduler.schedule(() -> runListener(listener, target), retryInterval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Runs after amqp-client recovered the connection (and the topology recorded on it). */
    public void onRecovered(Runnable listener) {
        recoveryListeners.add(listener);
    }

    /** Runs before the connection closes on shutdown: stop consumers, close publishing channels. */
    public void beforeClose(Runnable hook) {
        closingHooks.add(hook);
    }

    public boolean isConnected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** Why the broker is not usable, or null when connected. */
    public String lastError() {
        return isConnected() ? null : lastError;
    }

    /** A new channel on the connection; the caller owns and closes it. */
    public Channel openChannel() throws IOException {
        Connection current = connection;
        if (current == null || !current.isOpen()) {
            throw new IOException("Not connected to RabbitMQ: " + lastError);
        }
        Channel channel = current.createChannel();
        if (channel == null) {
            throw new IOException("RabbitMQ connection has no free channel");
        }
        return channel;
    }

    @PreDestroy
    public void close() {
        Connection current;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            current = connection;
        }
        ScheduledFuture<?> pending = retry;
        if (pending != null) {
            pending.cancel(false);
        }
        for (Runnable hook : closingHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Messaging shutdown step failed", e);
            }
        }
        if (current != null) {
            try {
                current.close(5_000);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "RabbitMQ connection close failed", e);
            }
        }
        if (embeddedBroker != null) {
            try {
                embeddedBroker.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "Embedded broker did not stop cleanly", e);
            }
        }
    }
}
