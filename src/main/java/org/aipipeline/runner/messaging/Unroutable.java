package org.aipipeline.runner.messaging;

/**
 * The broker returned a {@code mandatory} message: no queue is bound for its routing key, e.g. a
 * step sent to a node that never declared its queue. Distinct from {@link PublishFailed} because
 * retrying does not help; the pipeline fails with "node unreachable" instead.
 */
public final class Unroutable extends PublishFailed {

    private final String exchange;
    private final String routingKey;

    public Unroutable(String exchange, String routingKey, String brokerReply) {
        super("Unroutable message to exchange '" + exchange + "' with routing key '" + routingKey + "': "
                + brokerReply);
        this.exchange = exchange;
        this.routingKey = routingKey;
    }

    public String exchange() {
        return exchange;
    }

    public String routingKey() {
        return routingKey;
    }
}
