package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConfirmListener;
import java.io.IOException;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeoutException;

/**
 * A confirm-mode channel used by one publisher at a time, with what the broker said about each
 * message published since the last {@link #reset()}: returned (unroutable) and nacked, by message id.
 *
 * <p>RabbitMQ sends basic.return before the basic.ack of a mandatory message, and amqp-client
 * calls the listeners on the connection thread in order and before it wakes confirm waiters, so
 * once the confirms are in, the returns are too. Qpid Broker-J (the embedded broker) instead nacks
 * an unroutable mandatory message and sends the return after the nack: {@link #awaitReturns()}
 * makes sure those returns have arrived too.
 */
final class PublishingChannel {

    private final Channel channel;
    private final Map<String, String> returned = new ConcurrentHashMap<>();
    private final NavigableMap<Long, String> unconfirmed = new ConcurrentSkipListMap<>();
    private final Set<String> nacked = ConcurrentHashMap.newKeySet();

    PublishingChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.put(
                String.valueOf(returnedMessage.getProperties().getMessageId()),
                returnedMessage.getReplyCode() + " " + returnedMessage.getReplyText()));
        channel.addConfirmListener(new ConfirmListener() {
            @Override
            public void handleAck(long deliveryTag, boolean multiple) {
                confirmed(deliveryTag, multiple).clear();
            }

            @Override
            public void handleNack(long deliveryTag, boolean multiple) {
                Map<Long, String> settled = confirmed(deliveryTag, multiple);
                nacked.addAll(settled.values());
                settled.clear();
            }
        });
    }

    private Map<Long, String> confirmed(long deliveryTag, boolean multiple) {
        return multiple
                ? unconfirmed.headMap(deliveryTag, true)
                : unconfirmed.subMap(deliveryTag, true, deliveryTag, true);
    }

    void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        unconfirmed.put(channel.getNextPublishSeqNo(), properties.getMessageId());
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /** Waits for every outstanding confirm; false if the broker nacked any. */
    boolean awaitConfirms(long timeoutMillis) throws InterruptedException, TimeoutException {
        return channel.waitForConfirms(timeoutMillis);
    }

    /**
     * Makes one round trip on the channel: the broker answers in order, so every return it sent
     * before the answer has been handled when this returns. ({@code amq.direct} exists on every
     * AMQP 0-9-1 broker; a passive declare changes nothing and is not recorded for recovery.)
     */
    void awaitReturns() throws IOException {
        channel.exchangeDeclarePassive("amq.direct");
    }

    /** The broker's reply for each message returned since {@link #reset()}, by message id. */
    Map<String, String> returned() {
        return Map.copyOf(returned);
    }

    /** The ids of the messages nacked since {@link #reset()}. */
    Set<String> nacked() {
        return Set.copyOf(nacked);
    }

    void reset() {
        returned.clear();
        nacked.clear();
        unconfirmed.clear();
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    void close() {
        try {
            if (channel.isOpen()) {
                channel.close();
            }
        } catch (IOException | TimeoutException | RuntimeException e) {
            // Closing a broken channel; nothing left to save.
        }
    }
}
