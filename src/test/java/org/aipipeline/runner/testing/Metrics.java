package org.aipipeline.runner.testing;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * The runner's {@code /metrics} as Prometheus text (Payara's MicroProfile Metrics 5 endpoint at the
 * server's root): the samples, and a sample's value found by its name and tag values.
 */
public final class Metrics {

    private final List<String> samples;

    private Metrics(List<String> samples) {
        this.samples = samples;
    }

    /** Scrapes the server the deployment at {@code deploymentUrl} runs on. */
    public static Metrics scrape(Api api, URL deploymentUrl) {
        String text = api.send(HttpRequest.newBuilder(URI.create(deploymentUrl.getProtocol() + "://"
                                + deploymentUrl.getHost() + ":" + deploymentUrl.getPort() + "/metrics"))
                        .GET())
                .body();
        return new Metrics(text.lines()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .toList());
    }

    /**
     * The value of the first sample whose name starts with {@code name} and whose line holds every
     * {@code tag="value"} pair given (e.g. {@code value("runner_steps", "outcome=\"retried\"")}).
     */
    public OptionalDouble value(String name, String... tags) {
        return samples.stream()
                .filter(line -> line.startsWith(name) && Arrays.stream(tags).allMatch(line::contains))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst();
    }

    @Override
    public String toString() {
        return String.join("\n", samples);
    }
}
