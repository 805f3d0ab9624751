package org.aipipeline.runner.messaging;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.eclipse.microprofile.config.Config;
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

    @Inject
    MessagingMetrics metrics;

    /** Where dead letters are counted: {@code /metrics} under CDI, nowhere in plain use. */
    private DeadLetters.Counted counted = (queue, kind) -> {};

    @Resource(lookup = "java:comp/DefaultManagedExecutorService")
    ManagedExecutorService containerWorkers;

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService containerScheduler;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory containerThreads;

    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private MessagingSettings settings;
    private ThreadFactory threads = Executors.defaultThreadFactory();
    private int batchSize = 200;
    private int batchConsumers = 2;
    private final List<QueueConsumer> consumers = new CopyOnWriteArrayList<>();
    private volatile boolean stopped;

    /** For CDI. */
    protected Deliveries() {}

    /** For plain use and tests. */
    public Deliveries(
            Broker broker,
            Topology topology,
            ConfirmedPublisher publisher,
            ExecutorService workers,
            ScheduledExecutorService scheduler,
            MessagingSettings settings) {
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
        counted = metrics::deadLettered;
        workers = containerWorkers;
        scheduler = containerScheduler;
        Config config = ConfigProvider.getConfig(Deliveries.class.getClassLoader());
        settings = MessagingSettings.from(config);
        threads = containerThreads;
        batchSize =
                config.getOptionalValue("messaging.batch.size", Integer.class).orElse(batchSize);
        batchConsumers = config.getOptionalValue("messaging.batch.consumers", Integer.class)
                .orElse(batchConsumers);
        broker.beforeClose(this::stop);
    }

    /**
     * Consumes {@code queue} in batches: {@code messaging.batch.consumers} consumers (channels),
     * each draining up to {@code messaging.batch.size} deliveries at a time into {@code handler}
     * and acknowledging them with one multiple-ack. Prefetch is two batches, so the next batch
     * is already here while one is being committed.
     */
    public Subscription consumeInBatches(String queue, BatchHandler handler) {
        if (stopped) { // before any drainer thread is started
            throw new IllegalStateException("Deliveries are stopped");
        }
        List<Subscription> started = new ArrayList<>();
        for (int i = 0; i < batchConsumers; i++) {
            started.add(start(new QueueConsumer(
                    queue,
                    Math.max(settings.prefetch(), 2 * batchSize),
                    handler,
                    batchSize,
                    threads,
                    new DeadLetters(publisher, topology, counted),
                    workers,
                    scheduler,
                    settings)));
        }
        return () -> started.forEach(Subscription::close);
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
        return start(new QueueConsumer(
                queue, prefetch, handler, new DeadLetters(publisher, topology, counted), workers, scheduler, settings));
    }

    private Subscription start(QueueConsumer consumer) {
        if (stopped) {
            throw new IllegalStateException("Deliveries are stopped");
        }
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
