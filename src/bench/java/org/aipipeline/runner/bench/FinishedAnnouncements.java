package org.aipipeline.runner.bench;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Listens to the runner's {@code runner-pipeline-finished} fanout like one more runner instance
 * and counts the announcements per pipeline: a run announced twice was finished by two
 * transactions. Announcements are fire-and-forget, so one lost in a broker outage only makes a
 * count lower, never higher.
 */
final class FinishedAnnouncements implements AutoCloseable {

    private final Connection connection;
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();

    FinishedAnnouncements(ConnectionFactory factory) throws Exception {
        connection = factory.newConnection("faults-announcements");
        Channel channel = connection.createChannel();
        channel.exchangeDeclare("runner-pipeline-finished", BuiltinExchangeType.FANOUT, true);
        String queue = channel.queueDeclare().getQueue();
        channel.queueBind(queue, "runner-pipeline-finished", "");
        channel.basicConsume(
                queue,
                true,
                (tag, delivery) -> {
                    JsonObject body = RunnerApi.json(new String(delivery.getBody(), StandardCharsets.UTF_8));
                    if (body.containsKey("finished")) {
                        for (JsonValue one : body.getJsonArray("finished")) {
                            counts.merge(one.asJsonObject().getString("pipelineId"), 1, Integer::sum);
                        }
                    } else if (body.containsKey("pipelineId")) {
                        counts.merge(body.getString("pipelineId"), 1, Integer::sum);
                    }
                },
                tag -> {});
    }

    /** How often the run was announced finished so far. */
    int count(String pipelineId) {
        return counts.getOrDefault(pipelineId, 0);
    }

    @Override
    public void close() throws Exception {
        if (connection.isOpen()) {
            connection.close();
        }
    }
}
