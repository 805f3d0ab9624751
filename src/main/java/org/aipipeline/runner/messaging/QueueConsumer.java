package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.aipipeline.runner.platform.control.DatabaseFailures;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * One consumer of one queue. Every delivery ends in exactly one of:
 * <ul>
 *   <li>handler returned → ack;</li>
 *   <li>handler threw {@link RejectMessage} or a 4xx {@link RunnerException} → dead-letter, then ack;</li>
 *   <li>handler threw anything else (database down, timeout) → after a growing delay, republish
 *       to the same queue with the attempt count in {@value #ATTEMPTS} and ack; at
 *       {@code messaging.max-attempts} → dead-letter, then ack;</li>
 *   <li>the dead-letter or retry publish itself failed → nack with requeue, after a delay, so the
 *       broker keeps the message (never dropped) without a hot loop.</li>
 * </ul>
 * The attempt count travels in a header rather than in memory so it survives runner restarts and
 * is shared by several runner instances.
 */
final class QueueConsumer {

    static final String ATTEMPTS = "x-runner-attempts";
    private static final System.Logger LOG = System.getLogger(QueueConsumer.class.getName());
    private static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(1);
    /** Short enough that work resumes within seconds of the database coming back. */
    private static final Duration MAX_OUTAGE_DELAY = Duration.ofSeconds(5);

    private final String queue;
    private final int prefetch;
    private final MessageHandler handler;
    private final BatchHandler batchHandler;
    private final int batchSize;
    private final BlockingQueue<Delivery> batchQueue = new LinkedBlockingQueue<>();
    private final AtomicInteger deferred = new AtomicInteger();
    /** Batches or messages in a row that failed because a dependency was down; 0 after any success. */
    private final AtomicInteger outageStreak = new AtomicInteger();

    private Thread drainer;
    private final DeadLetters deadLetters;
    private final ExecutorService workers;
    private final ScheduledExecutorService scheduler;
    private final MessagingSettings settings;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<Future<?>> pendingRetries = ConcurrentHashMap.newKeySet();
    private volatile Channel channel;
    private volatile String consumerTag;
    private volatile boolean stopping;

    QueueConsumer(
            String queue,
            int prefetch,
            MessageHandler handler,
            DeadLetters deadLetters,
            ExecutorService workers,
            ScheduledExecutorService scheduler,
            MessagingSettings settings) {
        this(queue, prefetch, handler, null, 1, deadLetters, workers, scheduler, settings);
    }

    /**
     * A consumer that drains up to {@code batchSize} deliveries at a time on a thread of its own
     * (from {@code threads}) and hands them to {@code batchHandler} together.
     */
    QueueConsumer(
            String queue,
            int prefetch,
            BatchHandler batchHandler,
            int batchSize,
            ThreadFactory threads,
            DeadLetters deadLetters,
            ExecutorService workers,
            ScheduledExecutorService scheduler,
            MessagingSettings settings) {
        this(
                queue,
                prefetch,
                message -> {
                    RuntimeException rejected =
                            batchHandler.handle(List.of(message)).get(0);
                    if (rejected != null) {
                        throw rejected;
                    }
                },
                batchHandler,
                batchSize,
                deadLetters,
                workers,
                scheduler,
                settings);
        drainer = threads.newThread(this::drain);
        drainer.setName("consumer-" + queue);
        drainer.setDaemon(true);
        drainer.start();
    }

    private QueueConsumer(
            String queue,
            int prefetch,
            MessageHandler handler,
            BatchHandler batchHandler,
            int batchSize,
            DeadLetters deadLetters,
            ExecutorService workers,
            ScheduledExecutorService scheduler,
            MessagingSettings settings) {
        this.queue = queue;
        this.prefetch = prefetch;
        this.handler = handler;
        this.batchHandler = batchHandler;
        this.batchSize = batchSize;
        this.deadLetters = deadLetters;
        this.workers = workers;
        this.scheduler = scheduler;
        this.settings = settings;
    }

    /** Starts consuming on {@code opened} (an automatically recovering channel the consumer now owns). */
    synchronized void start(Channel opened) throws IOException {
        if (stopping) {
            close(opened);
            return;
        }
        try {
            opened.basicQos(prefetch);
            consumerTag = opened.basicConsume(queue, false, new Dispatch(opened));
        } catch (IOException | RuntimeException e) {
            close(opened);
            throw e;
        }
        channel = opened;
        LOG.log(Level.INFO, "Consuming {0} (prefetch {1})", queue, prefetch);
    }

    /** Runs on amqp-client's dispatch thread: only hands the work over. */
    private final class Dispatch extends DefaultConsumer {

        Dispatch(Channel channel) {
            super(channel);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
            Channel on = getChannel();
            inFlight.incrementAndGet();
            if (batchHandler != null) {
                batchQueue.add(new Delivery(on, envelope, properties, body));
                return;
            }
            try {
                workers.execute(() -> {
                    try {
                        process(on, envelope, properties, body);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                });
            } catch (RejectedExecutionException e) {
                inFlight.decrementAndGet();
                LOG.log(Level.WARNING, "No worker for a delivery from {0}; returning it to the queue", queue);
                nack(on, envelope.getDeliveryTag());
            }
        }

        @Override
        public void handleCancel(String tag) {
            LOG.log(Level.WARNING, "RabbitMQ cancelled the consumer of {0} (queue deleted?)", queue);
        }
    }

    /** One delivery waiting for the drainer. */
    private record Delivery(Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {}

    /** The drainer thread: batches of whatever arrived, one batch at a time, in delivery order. */
    private void drain() {
        List<Delivery> batch = new ArrayList<>(batchSize);
        while (!stopping || !batchQueue.isEmpty()) {
            Delivery first;
            try {
                first = batchQueue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                // Only stop() may end this thread; an interrupt a handler left behind must not.
                if (stopping) {
                    return;
                }
                LOG.log(Level.WARNING, "The consumer of {0} was interrupted between batches; carrying on", queue);
                continue;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            batchQueue.drainTo(batch, batchSize - 1);
            try {
                processBatch(batch);
            } catch (RuntimeException | Error e) {
                LOG.log(
                        Level.ERROR,
                        "Batch of " + batch.size() + " from " + queue + " left unsettled; the broker redelivers it",
                        e);
            } finally {
                inFlight.addAndGet(-batch.size());
                batch.clear();
                Thread.interrupted(); // a handler's stray interrupt is not ours
            }
        }
    }

    private void processBatch(List<Delivery> batch) {
        List<IncomingMessage> messages = new ArrayList<>(batch.size());
        for (Delivery delivery : batch) {
            messages.add(new IncomingMessage(
                    queue, delivery.body(), delivery.properties(), failedAttempts(delivery.properties()) + 1));
        }
        Map<Integer, RuntimeException> rejected;
        try {
            rejected = batchHandler.handle(messages);
        } catch (Exception | LinkageError | AssertionError failure) {
            if (isOutage(failure)) {
                waitOutOutage(batch, significantCause(failure));
                return;
            }
            LOG.log(
                    Level.WARNING,
                    "Batch of " + batch.size() + " from " + queue + " failed; handling its messages one by one",
                    failure);
            for (Delivery delivery : batch) {
                process(delivery.on(), delivery.envelope(), delivery.properties(), delivery.body());
            }
            return;
        }
        outageStreak.set(0);
        for (int i = 0; i < batch.size(); i++) {
            Delivery delivery = batch.get(i);
            RuntimeException reason = rejected.get(i);
            if (reason != null) {
                Throwable cause = significantCause(reason);
                deadLetter(
                        delivery.on(),
                        delivery.envelope(),
                        delivery.properties(),
                        delivery.body(),
                        describe(cause),
                        DeadLetters.kindOf(cause));
            }
        }
        Delivery last = batch.get(batch.size() - 1);
        boolean oneChannel = batch.stream().allMatch(delivery -> delivery.on() == last.on());
        if (rejected.isEmpty() && deferred.get() == 0 && oneChannel) {
            // Every earlier delivery of this channel is settled: one ack covers the whole batch.
            ack(last.on(), last.envelope().getDeliveryTag(), true);
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (!rejected.containsKey(i)) {
                ack(batch.get(i).on(), batch.get(i).envelope().getDeliveryTag());
            }
        }
    }

    private void process(Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
        int attempt = failedAttempts(properties) + 1;
        try {
            handler.handle(new IncomingMessage(queue, body, properties, attempt));
            outageStreak.set(0);
            ack(on, envelope.getDeliveryTag());
        } catch (Exception | LinkageError | AssertionError failure) {
            Throwable cause = significantCause(failure);
            String reason = describe(cause);
            if (isOutage(failure)) {
                Duration delay = outageDelay();
                LOG.log(
                        Level.WARNING,
                        "Message {0} from {1} waits {2} ms for an outage to pass (not counted as an attempt): {3}",
                        properties.getMessageId(),
                        queue,
                        delay.toMillis(),
                        reason);
                later(delay, () -> nack(on, envelope.getDeliveryTag()));
            } else if (isPermanent(cause)) {
                deadLetter(on, envelope, properties, body, reason, DeadLetters.kindOf(cause));
            } else if (attempt >= settings.maxAttempts()) {
                deadLetter(
                        on,
                        envelope,
                        properties,
                        body,
                        "gave up after " + attempt + " attempts: " + reason,
                        DeadLetters.kindOf(null));
            } else {
                Duration delay = retryDelay(attempt);
                LOG.log(
                        Level.WARNING,
                        "Handling message {0} from {1} failed (attempt {2} of {3}); retrying in {4} ms: {5}",
                        properties.getMessageId(),
                        queue,
                        attempt,
                        settings.maxAttempts(),
                        delay.toMillis(),
                        reason);
                later(delay, () -> retry(on, envelope, properties, body, attempt));
            }
        }
    }

    /**
     * A batch that failed because something we depend on is down (503: the database, the File
     * Service) goes back to the queue after a growing pause, as it is: an outage is not the
     * messages' fault, so it never counts toward {@code messaging.max-attempts} and never
     * dead-letters anything, however long it lasts. Only the deliveries this consumer holds
     * (its prefetch) wait; nothing new is taken meanwhile beyond that.
     */
    private void waitOutOutage(List<Delivery> batch, Throwable cause) {
        Duration delay = outageDelay();
        LOG.log(
                Level.WARNING,
                "Batch of {0} from {1} waits {2} ms for an outage to pass: {3}",
                batch.size(),
                queue,
                delay.toMillis(),
                describe(cause));
        List<Delivery> held = List.copyOf(batch);
        later(
                delay,
                () -> held.forEach(
                        delivery -> nack(delivery.on(), delivery.envelope().getDeliveryTag())));
    }

    /** Doubles from {@code messaging.retry.delay} with each failure in a row, capped at {@link #MAX_OUTAGE_DELAY}. */
    private Duration outageDelay() {
        Duration delay = retryDelay(outageStreak.incrementAndGet());
        return delay.compareTo(MAX_OUTAGE_DELAY) > 0 ? MAX_OUTAGE_DELAY : delay;
    }

    /**
     * An unreachable dependency: wait for it, do not blame the message. Our own 503 says so; so
     * does an unreachable database however a handler met it (JPA and EJB wrappers included).
     */
    static boolean isOutage(Throwable failure) {
        return significantCause(failure) instanceof RunnerException kind && kind.status() == 503
                || DatabaseFailures.isUnavailable(failure);
    }

    private void deadLetter(
            Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body, String reason, String kind) {
        try {
            deadLetters.send(queue, envelope, properties, body, reason, kind);
            ack(on, envelope.getDeliveryTag());
        } catch (PublishFailed e) {
            LOG.log(
                    Level.ERROR,
                    "Cannot dead-letter message " + properties.getMessageId() + " from " + queue + " (" + reason
                            + "); leaving it in the queue",
                    e);
            later(settings.retryDelay(), () -> nack(on, envelope.getDeliveryTag()));
        }
    }

    private void retry(Channel on, Envelope envelope, AMQP.BasicProperties properties, byte[] body, int attempt) {
        Map<String, Object> headers =
                new HashMap<>(properties.getHeaders() == null ? Map.of() : properties.getHeaders());
        headers.put(ATTEMPTS, attempt);
        try {
            // The default exchange routes by queue name: straight back into the same queue.
            deadLetters
                    .publisher()
                    .forward("", queue, properties.builder().headers(headers).build(), body);
            ack(on, envelope.getDeliveryTag());
        } catch (PublishFailed e) {
            LOG.log(
                    Level.WARNING,
                    "Cannot requeue message {0} for a retry ({1}); returning it to {2} as it is",
                    properties.getMessageId(),
                    e.getMessage(),
                    queue);
            nack(on, envelope.getDeliveryTag());
        }
    }

    private void later(Duration delay, Runnable action) {
        if (stopping) {
            return; // the channel closes; the broker requeues the unacked message
        }
        Future<?>[] self = new Future<?>[1];
        deferred.incrementAndGet();
        try {
            self[0] = scheduler.schedule(
                    () -> {
                        try {
                            action.run();
                        } finally {
                            deferred.decrementAndGet();
                            pendingRetries.remove(self[0]);
                        }
                    },
                    delay.toMillis(),
                    TimeUnit.MILLISECONDS);
            pendingRetries.add(self[0]);
        } catch (RejectedExecutionException e) {
            deferred.decrementAndGet();
            LOG.log(Level.DEBUG, "Scheduler shut down; message stays unacked and returns to {0}", queue);
        }
    }

    /** Exponential from {@code messaging.retry.delay}, capped at a minute. */
    Duration retryDelay(int attempt) {
        Duration delay = settings.retryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
        return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
    }

    static int failedAttempts(AMQP.BasicProperties properties) {
        Object value =
                properties.getHeaders() == null ? null : properties.getHeaders().get(ATTEMPTS);
        if (value instanceof Number number) {
            return Math.max(0, number.intValue());
        }
        if (value != null) {
            try {
                return Math.max(0, Integer.parseInt(value.toString().trim()));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }

    /** Digs our own exception out of EJBException and similar wrappers. */
    static Throwable significantCause(Throwable failure) {
        Throwable current = failure;
        for (int depth = 0; current != null && depth < 10; depth++, current = current.getCause()) {
            if (current instanceof RejectMessage || current instanceof RunnerException) {
                return current;
            }
        }
        return failure;
    }

    /** Retrying cannot help a rejected, invalid or unknown message; a timeout or overload may pass. */
    static boolean isPermanent(Throwable cause) {
        if (cause instanceof RejectMessage) {
            return true;
        }
        if (cause instanceof RunnerException kind) {
            int status = kind.status();
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
        return false;
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return cause instanceof RejectMessage
                ? String.valueOf(message)
                : cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private void ack(Channel on, long deliveryTag) {
        ack(on, deliveryTag, false);
    }

    /** With {@code multiple}, acknowledges every delivery of the channel up to {@code deliveryTag}. */
    private void ack(Channel on, long deliveryTag, boolean multiple) {
        try {
            on.basicAck(deliveryTag, multiple);
        } catch (IOException | RuntimeException e) {
            // The channel closed meanwhile: the broker redelivers the message, handlers are idempotent.
            LOG.log(Level.DEBUG, "Ack on {0} failed; the message will be redelivered: {1}", queue, e.getMessage());
        }
    }

    private void nack(Channel on, long deliveryTag) {
        try {
            on.basicNack(deliveryTag, false, true);
        } catch (IOException | RuntimeException e) {
            LOG.log(
                    Level.DEBUG,
                    "Nack on {0} failed; the broker requeues on channel close: {1}",
                    queue,
                    e.getMessage());
        }
    }

    /** Stops new deliveries; in-flight ones still finish. */
    void cancel() {
        stopping = true;
        Channel current = channel;
        String tag = consumerTag;
        if (current != null && tag != null && current.isOpen()) {
            try {
                current.basicCancel(tag);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.DEBUG, "Cancelling the consumer of {0} failed: {1}", queue, e.getMessage());
            }
        }
    }

    /** Cancels, waits up to {@code grace} for in-flight handlers, then closes the channel. */
    void stop(Duration grace) {
        cancel();
        pendingRetries.forEach(pending -> pending.cancel(false));
        long deadline = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.get() > 0) {
            LOG.log(
                    Level.WARNING,
                    "{0} handlers of {1} still running at shutdown; their messages return to the queue",
                    inFlight.get(),
                    queue);
        }
        if (drainer != null) {
            drainer.interrupt();
        }
        Channel current = channel;
        if (current != null) {
            close(current);
        }
    }

    private static void close(Channel target) {
        try {
            if (target.isOpen()) {
                target.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Closing anyway; unacked messages go back to the queue.
        }
    }
}
