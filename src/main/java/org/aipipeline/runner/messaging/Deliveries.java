package org.aipipeline.runner.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Starts consumers: manual acks after the handler returned, bounded prefetch, handler work on the
 * container's executor (never on amqp-client's dispatch thread), bounded retries and a
 * dead-letter queue instead of endless redelivery. See {@link QueueConsumer} for the rules.
 *
 * <p>Consumers are started on the broker connection whenever it exists; amqp-client's recovery
 * re-registers them after a reconnect. On undeploy they are cancelled and in-flight handlers get
 * a short grace period; whatever is still unacked then goes back to its queue.
 */
@ApplicationScoped
public class Deliveries {

    private static final System.Logger LOG = System.getLogger(Deliveries.class.getName());
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Handle on one started consumer. */
    public interface Subscription extends AutoCloseable {
        /** Cancels the consumer, waits briefly for its in-flight handlers, closes its channel. */
        @Override
        void close();
    }

    @Inject
    Broker broker;

    @Inject
    Topology topology;

    @Inject
    ConfirmedPublisher publisher;

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService containerWorkers;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService containerScheduler;

    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private MessagingSettings settings;
    private final List<QueueConsumer> consumers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** For CDI. */
    protected Deliveries() {
    }

    /** For plain use and tests. */
    public Deliveries(Broker broker, Topology topology, ConfirmedPublisher publisher, ExecutorService workers,
                      ScheduledExecutorService scheduler, MessagingSettings settings) {
        this.broker = broker;
        this.topology = topology;
        this.publisher = publisher;
        this.workers = workers;
        this.scheduler = scheduler;
        this.settings = settings;
        broker.beforeClose(this::stop);
    }

    @PostConstruct
    void init() {
        workers = containerWorkers;
        scheduler = containerScheduler;
        settings = MessagingSettings.from(ConfigProvider.getConfig(Deliveries.class.getClassLoader()));
        broker.beforeClose(this::stop);
    }

    /** Consumes {@code queue} with the configured prefetch ({@code messaging.prefetch}). */
    public Subscription consume(String queue, MessageHandler handler) {
        return consume(queue, settings.prefetch(), handler);
    }

    /**
     * Consumes {@code queue} as soon as (and whenever) the broker is connected; the protocol's
     * topology is declared first, so the spec's queues exist.
     */
    public Subscription consume(String queue, int prefetch, MessageHandler handler) {
        if (stopped) {
            throw new IllegalStateException("Deliveries are stopped");
        }
        QueueConsumer consumer = new QueueConsumer(queue, prefetch, handler, new DeadLetters(publisher, topology),
                workers, scheduler, settings);
        consumers.add(consumer);
        broker.onConnected(connection -> {
            if (!topology.isDeclared()) {
                topology.declareAll();
            }
            consumer.start(broker.openChannel());
        });
        return () -> {
            consumers.remove(consumer);
            consumer.stop(STOP_GRACE);
        };
    }

    /** Stops every consumer: cancel, wait briefly for in-flight handlers, close. Idempotent. */
    @PreDestroy
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        consumers.forEach(QueueConsumer::cancel);
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (QueueConsumer consumer : consumers) {
            consumer.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        }
        LOG.log(Level.DEBUG, "Stopped {0} consumers", consumers.size());
        consumers.clear();
    }
}
