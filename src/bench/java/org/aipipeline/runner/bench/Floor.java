package org.aipipeline.runner.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.nio.ByteBuffer;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The physical floor under a one-step pipeline, measured with the same broker and database the
 * runner uses: the hops a pipeline needs without any runner logic in between.
 */
final class Floor {

    record Rate(double perSecond, Latencies latencies) {}

    private Floor() {}

    /**
     * Persistent publish (confirmed, as the runner publishes) → consume → persistent publish
     * (as a node publishes its completion) → consume, closed loop at the given concurrency.
     */
    static Rate amqpRoundTrips(Connection connection, int concurrency, Duration duration) throws Exception {
        String first = "bench-floor-" + UUID.randomUUID();
        String second = "bench-floor-" + UUID.randomUUID();
        Channel publisher = connection.createChannel();
        Channel relay = connection.createChannel();
        Channel sink = connection.createChannel();
        publisher.queueDeclare(first, true, false, false, null);
        publisher.queueDeclare(second, true, false, false, null);
        publisher.confirmSelect();
        AMQP.BasicProperties persistent = new AMQP.BasicProperties.Builder()
                .deliveryMode(2)
                .contentType("application/json")
                .build();
        Latencies latencies = new Latencies();
        Semaphore inFlight = new Semaphore(concurrency);
        relay.basicQos(200);
        relay.basicConsume(
                first,
                false,
                (tag, delivery) -> {
                    relay.basicPublish("", second, persistent, delivery.getBody());
                    relay.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                },
                tag -> {});
        sink.basicQos(200);
        sink.basicConsume(
                second,
                false,
                (tag, delivery) -> {
                    latencies.record(System.nanoTime()
                            - ByteBuffer.wrap(delivery.getBody()).getLong());
                    sink.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    inFlight.release();
                },
                tag -> {});
        ExecutorService publishers = Executors.newFixedThreadPool(Math.min(concurrency, 16));
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        for (int i = 0; i < Math.min(concurrency, 16); i++) {
            publishers.submit(() -> {
                Channel own = connection.createChannel();
                own.confirmSelect();
                while (System.nanoTime() < end) {
                    inFlight.acquire();
                    byte[] body =
                            ByteBuffer.allocate(256).putLong(System.nanoTime()).array();
                    own.basicPublish("", first, persistent, body);
                    own.waitForConfirmsOrDie(5_000);
                }
                own.close();
                return null;
            });
        }
        publishers.shutdown();
        publishers.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
        inFlight.tryAcquire(concurrency, 10, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        publisher.queueDelete(first);
        publisher.queueDelete(second);
        for (Channel c : List.of(publisher, relay, sink)) {
            if (c.isOpen()) {
                c.close();
            }
        }
        return new Rate(latencies.count() / seconds, latencies);
    }

    /** A single-row insert transaction then a single-row update transaction: record, then finish. */
    static Rate postgresInsertUpdate(String url, String user, String password, int concurrency, Duration duration)
            throws Exception {
        String table =
                "bench_floor_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (var connection = DriverManager.getConnection(url, user, password);
                Statement ddl = connection.createStatement()) {
            ddl.execute("create table " + table + " (id uuid primary key, status varchar(16) not null, "
                    + "updated_at timestamp with time zone not null)");
        }
        Latencies latencies = new Latencies();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + duration.toNanos();
        long start = System.nanoTime();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            futures.add(workers.submit(() -> {
                try (var connection = DriverManager.getConnection(url, user, password);
                        PreparedStatement insert = connection.prepareStatement(
                                "insert into " + table + " (id, status, updated_at) values (?, 'Running', now())");
                        PreparedStatement update = connection.prepareStatement(
                                "update " + table + " set status = 'Succeeded', updated_at = now() where id = ?")) {
                    connection.setAutoCommit(false);
                    while (System.nanoTime() < end) {
                        long t0 = System.nanoTime();
                        UUID id = UUID.randomUUID();
                        insert.setObject(1, id);
                        insert.executeUpdate();
                        connection.commit();
                        update.setObject(1, id);
                        update.executeUpdate();
                        connection.commit();
                        latencies.record(System.nanoTime() - t0);
                        done.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (var f : futures) {
            f.get();
        }
        workers.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        try (var connection = DriverManager.getConnection(url, user, password);
                Statement ddl = connection.createStatement()) {
            ddl.execute("drop table " + table);
        }
        return new Rate(done.get() / seconds, latencies);
    }
}
