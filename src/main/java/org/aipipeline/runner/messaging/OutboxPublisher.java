package org.aipipeline.runner.messaging;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes outbox entries after their commit, on one long-lived confirm-mode channel, without
 * waiting per message: a {@link ConfirmListener} settles entries by publish sequence number and
 * the rows of confirmed messages are deleted in bulk.
 *
 * <p>Invariant: an entry handed to {@link #send} ends in exactly one of: confirmed (row deleted);
 * returned as unroutable ({@link OutboxUnroutable} fired, then row deleted); or left in the outbox
 * (nacked, channel lost, broker down, runner stopped), where {@link OutboxRelay} finds it once its
 * relay delay passed. No row is ever deleted for a message the broker did not take.
 *
 * <p>One thread of our own owns the channel (publishing, bulk deletes, unroutable handling), so a
 * confirm-mode channel is never shared between threads and the HTTP request that committed the
 * run never waits for the broker. RabbitMQ sends a mandatory message's basic.return before its
 * basic.ack; Qpid Broker-J nacks it and returns it after the nack, so nacked entries are only
 * given up after one more round trip on the channel, by which time any return has arrived.
 */
@ApplicationScoped
public class OutboxPublisher {

    private static final System.Logger LOG = System.getLogger(OutboxPublisher.class.getName());
    private static final int MAX_PUBLISH_BATCH = 1_000;
    private static final int MAX_UNCONFIRMED = 20_000;
    private static final int QUEUE_CAPACITY = 200_000;

    @Inject
    Broker broker;

    @Inject
    Outbox outbox;

    @Inject
    Event<OutboxUnroutable> unroutableEvent;

    @Resource(lookup = "java:comp/DefaultManagedThreadFactory")
    ManagedThreadFactory threads;

    private final BlockingQueue<OutboxEntry> toSend = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final NavigableMap<Long, OutboxEntry> unconfirmed = new ConcurrentSkipListMap<>();
    private final Map<String, OutboxEntry> inFlight = new ConcurrentHashMap<>();
    private final Map<String, String> returnedReplies = new ConcurrentHashMap<>();
    private final Queue<Long> confirmedRows = new ConcurrentLinkedQueue<>();
    private final Queue<OutboxUnroutable> unroutable = new ConcurrentLinkedQueue<>();
    private final Queue<OutboxEntry> nacked = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private Thread worker;
    private Channel channel; // only the worker thread touches it

    @PostConstruct
    void start() {
        worker = threads.newThread(this::work);
        worker.setName("outbox-publisher");
        worker.setDaemon(true);
        worker.start();
        broker.beforeClose(this::stop);
    }

    /**
     * Hands committed entries over for publishing and returns at once. Entries that do not fit the
     * in-memory queue stay in the outbox for the relay.
     */
    public void send(List<OutboxEntry> entries) {
        if (closed) {
            return;
        }
        for (OutboxEntry entry : entries) {
            if (!toSend.offer(entry)) {
                LOG.log(Level.WARNING, "Publisher queue full; {0} outbox rows wait for the relay", entries.size());
                return;
            }
        }
    }

    /** How many entries are handed over but not yet settled (for readiness and tests). */
    public int backlog() {
        return toSend.size() + unconfirmed.size();
    }

    private void work() {
        List<OutboxEntry> batch = new ArrayList<>(MAX_PUBLISH_BATCH);
        while (!closed) {
            try {
                settle();
                OutboxEntry first = toSend.poll(pending() ? 2 : 50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                toSend.drainTo(batch, MAX_PUBLISH_BATCH - 1);
                publish(batch);
            } catch (InterruptedException e) {
                // Only stop() may end this thread (it sets closed first); an interrupt left behind by an
                // observer of OutboxUnroutable must not.
                continue;
            } catch (RuntimeException | Error e) {
                LOG.log(Level.ERROR, "Outbox publisher round failed; the rows stay for the relay", e);
            } finally {
                batch.clear();
            }
        }
        LOG.log(Level.DEBUG, "Outbox publisher stopped");
    }

    private boolean pending() {
        return !confirmedRows.isEmpty() || !unroutable.isEmpty() || !nacked.isEmpty();
    }

    private void publish(List<OutboxEntry> batch) throws InterruptedException {
        while (unconfirmed.size() > MAX_UNCONFIRMED && !closed) {
            settle(); // the broker is behind: let confirms catch up rather than queue without bound
            Thread.sleep(1);
            if (channel == null || !channel.isOpen()) {
                return; // the channel died: its unconfirmed entries were forgotten, the relay resends them
            }
        }
        Channel on = openChannel();
        if (on == null) {
            return; // not connected: the rows stay in the outbox for the relay
        }
        for (OutboxEntry entry : batch) {
            OutgoingMessage message = entry.message();
            try {
                long sequence = on.getNextPublishSeqNo();
                unconfirmed.put(sequence, entry);
                inFlight.put(message.messageId(), entry);
                on.basicPublish(
                        message.exchange(),
                        message.routingKey(),
                        true,
                        ConfirmedPublisher.envelope(message),
                        message.body());
            } catch (IOException | RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Publishing outbox messages failed ({0}); the relay will send them",
                        e.getMessage());
                forgetUnconfirmed();
                closeChannel();
                return;
            }
        }
    }

    /** Deletes confirmed rows, reports unroutable entries and gives up nacked ones. */
    private void settle() {
        if (!nacked.isEmpty()) {
            settleNacked();
        }
        OutboxUnroutable returned;
        List<Long> done = new ArrayList<>();
        while ((returned = unroutable.poll()) != null) {
            try {
                unroutableEvent.fire(returned);
                done.add(returned.entry().id());
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Handling unroutable message {0} failed ({1}); the relay will try it again",
                        returned.entry().message().messageId(),
                        e.getMessage());
            }
        }
        Long row;
        while (done.size() < 5_000 && (row = confirmedRows.poll()) != null) {
            done.add(row);
        }
        if (!done.isEmpty()) {
            try {
                outbox.delete(done);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.WARNING,
                        "Deleting {0} sent outbox rows failed ({1}); the relay will resend them",
                        done.size(),
                        e.getMessage());
            }
        }
    }

    /** One round trip first: a return the broker sent before answering it has then been handled. */
    private void settleNacked() {
        Channel on = channel;
        try {
            if (on != null && on.isOpen()) {
                on.exchangeDeclarePassive("amq.direct");
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "Round trip after a nack failed: {0}", e.getMessage());
        }
        OutboxEntry entry;
        while ((entry = nacked.poll()) != null) {
            returnedReplies.remove(entry.message().messageId());
            if (inFlight.remove(entry.message().messageId()) != null) {
                LOG.log(
                        Level.WARNING,
                        "The broker refused (nacked) message {0}; the relay will send it again",
                        entry.message().messageId());
            }
        }
    }

    private Channel openChannel() {
        if (channel != null && channel.isOpen()) {
            return channel;
        }
        closeChannel();
        try {
            Channel opened = broker.openChannel();
            opened.confirmSelect();
            opened.addReturnListener(message -> {
                String id = String.valueOf(message.getProperties().getMessageId());
                OutboxEntry entry = inFlight.remove(id);
                if (entry != null) {
                    String reply = message.getReplyCode() + " " + message.getReplyText();
                    returnedReplies.put(id, reply);
                    unroutable.add(new OutboxUnroutable(entry, "unroutable: " + reply));
                }
            });
            opened.addConfirmListener(new ConfirmListener() {
                @Override
                public void handleAck(long sequence, boolean multiple) {
                    for (OutboxEntry entry : settled(sequence, multiple)) {
                        String id = entry.message().messageId();
                        if (returnedReplies.remove(id) == null) {
                            inFlight.remove(id);
                            confirmedRows.add(entry.id());
                        }
                    }
                }

                @Override
                public void handleNack(long sequence, boolean multiple) {
                    for (OutboxEntry entry : settled(sequence, multiple)) {
                        if (returnedReplies.remove(entry.message().messageId()) == null) {
                            nacked.add(entry);
                        }
                    }
                }
            });
            opened.addShutdownListener(cause -> forgetUnconfirmed());
            channel = opened;
            return opened;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "No publishing channel: {0}", e.getMessage());
            return null;
        }
    }

    private List<OutboxEntry> settled(long sequence, boolean multiple) {
        NavigableMap<Long, OutboxEntry> range =
                multiple ? unconfirmed.headMap(sequence, true) : unconfirmed.subMap(sequence, true, sequence, true);
        List<OutboxEntry> entries = new ArrayList<>(range.values());
        range.clear();
        return entries;
    }

    /** The channel is gone: its unconfirmed messages may or may not have arrived; the relay resends them. */
    private void forgetUnconfirmed() {
        unconfirmed.clear();
        inFlight.clear();
        returnedReplies.clear();
    }

    private void closeChannel() {
        Channel current = channel;
        channel = null;
        if (current != null) {
            try {
                if (current.isOpen()) {
                    current.close();
                }
            } catch (IOException | TimeoutException | RuntimeException e) {
                // Closing a broken channel; nothing left to save.
            }
        }
    }

    @PreDestroy
    void stop() {
        if (closed) {
            return;
        }
        closed = true;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeChannel();
    }
}
