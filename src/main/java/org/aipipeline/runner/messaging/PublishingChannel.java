package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

/**
 * A confirm-mode channel used by one publisher at a time, with the messages the broker returned
 * to it. RabbitMQ sends basic.return before the basic.ack of a mandatory message, and amqp-client
 * handles both on the connection thread in order, so once the confirms are in, the returns are too.
 */
final class PublishingChannel {

    private final Channel channel;
    private final Map<String, String> returned = new ConcurrentHashMap<>();

    PublishingChannel(Channel channel) throws IOException {
        this.channel = channel;
        channel.confirmSelect();
        channel.addReturnListener(returnedMessage -> returned.put(
                String.valueOf(returnedMessage.getProperties().getMessageId()),
                returnedMessage.getReplyCode() + " " + returnedMessage.getReplyText()));
    }

    void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws IOException {
        channel.basicPublish(exchange, routingKey, true, properties, body);
    }

    /** Waits for every outstanding confirm; false if the broker nacked any. */
    boolean awaitConfirms(long timeoutMillis) throws InterruptedException, TimeoutException {
        return channel.waitForConfirms(timeoutMillis);
    }

    /** The broker's reply if it returned the message with this id since {@link #clearReturns()}. */
    String returnedReply(String messageId) {
        return returned.get(messageId);
    }

    void clearReturns() {
        returned.clear();
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
