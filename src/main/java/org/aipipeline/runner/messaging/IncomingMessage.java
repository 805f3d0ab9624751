package org.aipipeline.runner.messaging;

import com.rabbitmq.client.AMQP;
import java.nio.charset.StandardCharsets;
import java.util.Map;

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

    /** The headers, empty when there are none. */
    public Map<String, Object> headers() {
        Map<String, Object> headers = properties.getHeaders();
        return headers == null ? Map.of() : headers;
    }

    /** A header as text (AMQP long strings included), or null. */
    public String header(String name) {
        Object value = headers().get(name);
        return value == null ? null : value.toString();
    }

    public String messageId() {
        return properties.getMessageId();
    }
}
