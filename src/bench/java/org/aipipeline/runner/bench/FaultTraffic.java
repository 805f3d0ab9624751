package org.aipipeline.runner.bench;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * What clients do while a fault happens, and every answer they got: a stream of two-step
 * pipelines ({@code POST /Pipelines}) spread over the runner instances the way a load balancer
 * does it (round robin; a refused connection is retried once on the next instance), and a probe
 * reading a result and logging in every half second. Every answer is kept with its time, so the
 * 5xx are counted inside and outside the outage afterwards.
 */
final class FaultTraffic implements AutoCloseable {

    /** One HTTP answer (status 0: no answer, the connection failed). */
    record Answer(Instant at, String route, int status) {}

    /** A run the runner accepted, and when it was submitted. */
    record Accepted(UUID pipelineId, Instant submittedAt) {}

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final List<RunnerApi> instances;
    private final List<HttpRequest> streamRequests;
    private final String credentials;
    private final Duration gap;
    private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger next = new AtomicInteger();
    private final Map<String, String> firstServerErrorBodies = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopped;

    /**
     * {@code streamNodes}: the two-step stream alternates their order; {@code credentials}: a user
     * the probe logs in as (registered here).
     */
    FaultTraffic(List<RunnerApi> instances, List<String> streamNodes, Duration gap) throws Exception {
        this.instances = instances;
        this.streamRequests = instances.get(0).pipelines(streamNodes, 2);
        this.gap = gap;
        String name = "probe-" + UUID.randomUUID().toString().substring(0, 8);
        this.credentials = "{\"username\":\"" + name + "\",\"password\":\"probe-password-1\"}";
        instances.get(0).send(instances.get(0).post("Auth/Register", credentials, false));
    }

    /** Starts {@code threads} stream senders and the probe. */
    void start(int streamThreads) {
        for (int i = 0; i < streamThreads; i++) {
            int first = i;
            threads.add(new Thread(() -> stream(first), "faults-stream-" + i));
        }
        threads.add(new Thread(this::probe, "faults-probe"));
        threads.forEach(Thread::start);
    }

    /** Round robin over the instances behind the "load balancer". */
    private RunnerApi instance(int index) {
        return instances.get(Math.floorMod(index, instances.size()));
    }

    private void stream(int first) {
        int n = first;
        while (!stopped) {
            HttpRequest request = streamRequests.get(n++ % streamRequests.size());
            int target = next.getAndIncrement();
            Instant submitted = Instant.now();
            HttpResponse<String> response = send(instance(target), "POST /Pipelines", request);
            if (response == null && instances.size() > 1) {
                response = send(instance(target + 1), "POST /Pipelines", request);
            }
            if (response != null && response.statusCode() == 202) {
                accepted.add(new Accepted(
                        UUID.fromString(RunnerApi.json(response.body())
                                .getJsonObject("pipeline")
                                .getString("id")),
                        submitted));
            }
            pause(gap);
        }
    }

    private void probe() {
        int round = 0;
        while (!stopped) {
            RunnerApi api = instance(round);
            Accepted last = accepted.peek();
            if (last != null) {
                send(api, "GET /PipelineResults/{id}", api.get("PipelineResults/" + last.pipelineId()));
            }
            if (round % 4 == 0) {
                send(api, "POST /Auth/Login", api.post("Auth/Login", credentials, false));
            }
            round++;
            pause(Duration.ofMillis(500));
        }
    }

    /** Sends {@code request} to {@code api}'s instance, records the answer; null when no answer came. */
    HttpResponse<String> send(RunnerApi api, String route, HttpRequest request) {
        HttpRequest bounded = HttpRequest.newBuilder(request, (name, value) -> true)
                .uri(api.retarget(request))
                .timeout(REQUEST_TIMEOUT)
                .build();
        try {
            HttpResponse<String> response = api.send(bounded);
            answers.add(new Answer(Instant.now(), route, response.statusCode()));
            if (response.statusCode() >= 500) {
                String body = response.body() == null ? "" : response.body().replaceAll("\\s+", " ");
                firstServerErrorBodies.putIfAbsent(
                        route + " " + response.statusCode(), body.substring(0, Math.min(body.length(), 240)));
            }
            return response;
        } catch (IOException e) {
            answers.add(new Answer(Instant.now(), route, 0));
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
            return null;
        }
    }

    /** The body of the first answer of each route and 5xx status, as evidence: "POST /Pipelines 500: {...}". */
    List<String> firstServerErrorBodies() {
        return new TreeMap<>(firstServerErrorBodies)
                .entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList();
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    List<Answer> answers() {
        return List.copyOf(answers);
    }

    /** The first answer at or after {@code since} that {@code test} accepts, or null. */
    Instant firstAnswer(Instant since, Predicate<Answer> test) {
        return answers.stream()
                .filter(a -> !a.at().isBefore(since) && test.test(a))
                .map(Answer::at)
                .min(Instant::compareTo)
                .orElse(null);
    }

    /** Status counts of the answers between {@code from} (inclusive) and {@code to} (exclusive), "500×3, 503×40". */
    static String serverErrors(List<Answer> answers, Instant from, Instant to, boolean inside) {
        Map<Integer, Integer> counts = new TreeMap<>();
        for (Answer a : answers) {
            boolean in = !a.at().isBefore(from) && a.at().isBefore(to);
            if (in == inside && a.status() >= 500) {
                counts.merge(a.status(), 1, Integer::sum);
            }
        }
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        if (total == 0) {
            return "0";
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((status, count) -> text.append(text.length() == 0 ? "" : ", ")
                .append(status)
                .append('×')
                .append(count));
        return text.toString();
    }

    /** The routes that answered 5xx, for the notes: "POST /Auth/Login 500×4". */
    static String serverErrorRoutes(List<Answer> answers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Answer a : answers) {
            if (a.status() >= 500) {
                counts.merge(a.route() + " " + a.status(), 1, Integer::sum);
            }
        }
        StringBuilder text = new StringBuilder();
        counts.forEach((key, count) -> text.append(text.length() == 0 ? "" : "; ")
                .append(key)
                .append('×')
                .append(count));
        return text.toString();
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    /** Stops sending and waits for the last answers. */
    @Override
    public void close() throws InterruptedException {
        stopped = true;
        for (Thread thread : threads) {
            thread.join(REQUEST_TIMEOUT.toMillis() * 3);
        }
    }
}
