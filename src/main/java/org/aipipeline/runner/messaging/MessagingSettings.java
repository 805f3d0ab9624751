package org.aipipeline.runner.messaging;

import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The messaging layer's settings in one place, read once from MicroProfile Config. Defaults here
 * repeat those of microprofile-config.properties so plain tests and a missing file agree.
 *
 * @param url            the configured broker URL; empty = not configured (localhost, or the embedded broker)
 * @param confirmTimeout how long a publish waits for the broker's confirm
 * @param publisherChannels how many confirm-mode channels publishers may use at once
 * @param prefetch       unacknowledged deliveries per consumer
 * @param maxAttempts    failed handler attempts before a message is dead-lettered
 * @param retryDelay     first wait before a transiently failed message is retried; doubles per attempt
 * @param recoveryInterval wait between reconnection attempts
 * @see EmbeddedBrokerSettings the in-process broker's own settings
 */
public record MessagingSettings(
        Optional<String> url,
        Duration confirmTimeout,
        int publisherChannels,
        int prefetch,
        int maxAttempts,
        Duration retryDelay,
        Duration recoveryInterval) {

    public static final String DEFAULT_URL = "amqp://guest:guest@localhost:5672";

    public static MessagingSettings defaults() {
        return new MessagingSettings(
                Optional.empty(), Duration.ofSeconds(5), 8, 50, 5, Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    public static MessagingSettings from(Config config) {
        MessagingSettings d = defaults();
        return new MessagingSettings(
                config.getOptionalValue("rabbitmq.url", String.class)
                        .map(String::strip)
                        .filter(s -> !s.isEmpty()),
                config.getOptionalValue("messaging.confirm.timeout", Duration.class)
                        .orElse(d.confirmTimeout),
                config.getOptionalValue("messaging.publisher.channels", Integer.class)
                        .orElse(d.publisherChannels),
                config.getOptionalValue("messaging.prefetch", Integer.class).orElse(d.prefetch),
                config.getOptionalValue("messaging.max-attempts", Integer.class).orElse(d.maxAttempts),
                config.getOptionalValue("messaging.retry.delay", Duration.class).orElse(d.retryDelay),
                config.getOptionalValue("messaging.recovery.interval", Duration.class)
                        .orElse(d.recoveryInterval));
    }

    public String effectiveUrl() {
        return url.orElse(DEFAULT_URL);
    }
}
