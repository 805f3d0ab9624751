package org.aipipeline.runner.nodes;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.UUID;
import org.aipipeline.runner.messaging.MessageType;

/**
 * Not a test: publishes N adverts of a few nodes as fast as the broker confirms them to a running
 * runner, waits until node-advertisements-queue is drained and prints adverts/s absorbed and the
 * row writes PostgreSQL counted for the nodes tables (ideally: one insert per node and procedure,
 * then nothing, since the content never changes). Run by {@code bench/node-adverts.sh}.
 */
public final class AdvertBenchmark {

    private AdvertBenchmark() {}

    public static void main(String[] args) throws Exception {
        int adverts = Integer.parseInt(System.getProperty("adverts", "10000"));
        int nodeCount = Integer.parseInt(System.getProperty("nodes", "10"));
        String rabbitUrl = System.getProperty("rabbitmq.url", "amqp://guest:guest@127.0.0.1:5672");
        String dbUrl = System.getProperty("db.url", "jdbc:postgresql://127.0.0.1:5432/runner_test");
        String run = "bench-" + UUID.randomUUID().toString().substring(0, 8) + "-";

        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(rabbitUrl);
        try (Connection rabbit = factory.newConnection("advert-benchmark");
                java.sql.Connection db = DriverManager.getConnection(
                        dbUrl, System.getProperty("db.user", "postgres"), System.getProperty("db.password", ""))) {
            Channel channel = rabbit.createChannel();
            channel.confirmSelect();
            long writesBefore = rowWrites(db);
            long start = System.nanoTime();
            for (int i = 0; i < adverts; i++) {
                String body = PublishedAdverts.tireOcrOcr(run + (i % nodeCount));
                channel.basicPublish(
                        "node-advertisements",
                        "",
                        new AMQP.BasicProperties.Builder()
                                .deliveryMode(2)
                                .contentType("application/json")
                                .messageId(UUID.randomUUID().toString())
                                .headers(Map.of(MessageType.HEADER, MessageType.NODE_ADVERTISED.dotnetName()))
                                .build(),
                        body.getBytes(StandardCharsets.UTF_8));
                if (i % 500 == 499) {
                    channel.waitForConfirmsOrDie(30_000);
                }
            }
            channel.waitForConfirmsOrDie(30_000);
            double published = (System.nanoTime() - start) / 1e9;
            while (channel.queueDeclarePassive("node-advertisements-queue").getMessageCount() > 0
                    || channel.queueDeclarePassive("node-advertisements-queue").getConsumerCount() == 0) {
                Thread.sleep(20);
            }
            double absorbed = (System.nanoTime() - start) / 1e9;
            Thread.sleep(1_000); // the last prefetched deliveries finish and their counters are flushed
            long writes = rowWrites(db) - writesBefore;
            System.out.printf(
                    "%d adverts of %d nodes: published in %.2f s, absorbed in %.2f s = %.0f adverts/s;"
                            + " about %d row writes in nodes/node_procedures (stats are approximate)%n",
                    adverts, nodeCount, published, absorbed, adverts / absorbed, writes);
            db.createStatement().executeUpdate("delete from nodes where id like '" + run + "%'");
            for (int n = 0; n < nodeCount; n++) {
                channel.queueDelete(run + n);
            }
        }
    }

    private static long rowWrites(java.sql.Connection db) throws Exception {
        try (ResultSet stats = db.createStatement()
                .executeQuery("select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)"
                        + " from pg_stat_user_tables where relname in ('nodes', 'node_procedures')")) {
            stats.next();
            return stats.getLong(1);
        }
    }
}
