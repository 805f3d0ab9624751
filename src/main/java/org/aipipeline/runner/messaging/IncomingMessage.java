package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;

/**
 * One delivery as a handler sees it.
 *
 * @param queue      the queue it came from (which says what it is; headers are not trusted)
 * @param body       the raw body, UTF-8 JSON by the protocol
 * @param properties the AMQP properties, never null
 * @param attempt    1 for the first attempt, counting the runner's earlier failed attempts
 */
public record IncomingMessage(String queue, byte[] body, AMQP.BasicProperties properties, int attempt) {

    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    public String messageId() {
        return properties.getMessageId();
    }
}
