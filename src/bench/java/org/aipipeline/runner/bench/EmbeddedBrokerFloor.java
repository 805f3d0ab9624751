package org.aipipeline.runner.bench;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import org.aipipeline.runner.messaging.EmbeddedBroker;
import org.aipipeline.runner.messaging.EmbeddedBrokerSettings;

/**
 * The embedded Qpid broker (what {@code java -jar} uses when no RabbitMQ is reachable) against
 * RabbitMQ, measured the same way as the benchmark's floor: persistent, confirmed round trips at
 * concurrency 1 and 16, one after the other, with an ordinary amqp-client connection. Prints a
 * table; run by {@code bench/embedded-broker.sh}.
 */
public final class EmbeddedBrokerFloor {

    private EmbeddedBrokerFloor() {}

    public static void main(String[] args) throws Exception {
        String rabbitUrl = args.length > 0 ? args[0] : "amqp://guest:guest@127.0.0.1:5672";
        Duration each = Duration.ofSeconds(args.length > 1 ? Integer.parseInt(args[1]) : 10);
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        System.out.println("| broker | concurrency | round trips/s | p50 ms | p95 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|---|");
        try (EmbeddedBroker embedded = EmbeddedBroker.start(new EmbeddedBrokerSettings(
                true, port, "127.0.0.1", Files.createTempDirectory("embedded-broker-floor")))) {
            measure("embedded Qpid (port " + port + ")", embedded.uri(), each);
        }
        measure("RabbitMQ", rabbitUrl, each);
    }

    private static void measure(String name, String url, Duration each) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setUri(url);
        try (Connection connection = factory.newConnection("bench-embedded-broker-floor")) {
            Floor.amqpRoundTrips(connection, 1, Duration.ofSeconds(2)); // warm-up
            for (int concurrency : new int[] {1, 16}) {
                Floor.Rate rate = Floor.amqpRoundTrips(connection, concurrency, each);
                System.out.println(String.format(
                        Locale.ROOT,
                        "| %s | %d | %.0f | %.2f | %.2f | %.2f |",
                        name,
                        concurrency,
                        rate.perSecond(),
                        rate.latencies().percentileMillis(50),
                        rate.latencies().percentileMillis(95),
                        rate.latencies().percentileMillis(99)));
            }
        }
    }
}
