package org.aipipeline.runner.messaging;

import java.nio.file.Path;
import org.eclipse.microprofile.config.Config;

/**
 * The embedded broker's settings, read once from MicroProfile Config. Defaults here repeat those
 * of microprofile-config.properties so plain tests and a missing file agree.
 *
 * @param enabled     whether to start the in-process broker when no RabbitMQ is configured or reachable
 * @param port        its AMQP port
 * @param bindAddress the address it listens on: loopback by default; anything else exposes it
 *                    (then guest is refused and generated credentials are required)
 * @param dataDir     {@code data.dir}, where generated credentials are kept across restarts
 */
public record EmbeddedBrokerSettings(boolean enabled, int port, String bindAddress, Path dataDir) {

    public static final String LOOPBACK = "127.0.0.1";

    public static EmbeddedBrokerSettings defaults() {
        return new EmbeddedBrokerSettings(true, 5672, LOOPBACK, Path.of("./data"));
    }

    public static EmbeddedBrokerSettings from(Config config) {
        EmbeddedBrokerSettings d = defaults();
        return new EmbeddedBrokerSettings(
                config.getOptionalValue("messaging.embedded-broker.enabled", Boolean.class)
                        .orElse(d.enabled),
                config.getOptionalValue("messaging.embedded-broker.port", Integer.class)
                        .orElse(d.port),
                config.getOptionalValue("messaging.embedded-broker.bind-address", String.class)
                        .map(String::strip)
                        .filter(s -> !s.isEmpty())
                        .orElse(d.bindAddress),
                config.getOptionalValue("data.dir", String.class).map(Path::of).orElse(d.dataDir));
    }
}
