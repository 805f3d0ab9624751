package org.aipipeline.runner.bench;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The fault suite (issue 12): the real runner on PostgreSQL and RabbitMQ, no-op nodes on the real
 * protocol, and for each fault a 2,000-input batch of one-step pipelines plus a stream of two-step
 * pipelines with the fault injected mid-run; then the database and the API say whether every
 * pipeline finished exactly once with each step recorded once, none lost, none stuck. Prints one
 * table and writes it to {@code faults.out}. Never a test: it stops shared services, so it runs
 * only from {@code bench/faults.sh} under the shared lock.
 *
 * <p>The batch goes to a node slowed to {@code faults.batch.pace.ms} per step (2,000 runs take about
 * 20 s), so a fault injected {@code faults.inject.after} seconds after the batch was accepted lands
 * while most of it is still queued or in flight.
 */
public final class FaultSuite {

    /** One line of the table. */
    private record Line(String fault, FaultChecks.Verdict verdict, String outside, String during, String recover) {}

    /** What a fault does; returns when the fault was lifted. */
    private interface Injection {
        Instant inject() throws Exception;
    }

    /**
     * How "recovered" is measured from the moment the fault was lifted: until an awaited one-step
     * run succeeds again end to end; until the restarted node finished its first queued step; not
     * at all (nothing was down).
     */
    private enum Recovery {
        END_TO_END,
        QUEUED_WORK_RESUMES,
        NONE
    }

    private static final int DEADLINE_RUNS = 50;
    private static final Duration READY_PATIENCE = Duration.ofSeconds(180);
    private static final Duration RECOVERY_PATIENCE = Duration.ofSeconds(180);

    private final FaultSettings settings;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ConnectionFactory factory = new ConnectionFactory();
    private final FaultChecks checks;
    private final List<Line> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final List<NoOpNode> nodes = new CopyOnWriteArrayList<>();
    private final List<ManagedRunner> processes = new ArrayList<>();
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final String batchNodeId = "faults-batch-" + run;
    private final List<String> streamNodeIds = List.of("faults-stream-" + run + "-0", "faults-stream-" + run + "-1");
    private final String silentNodeId = "faults-silent-" + run;
    /** The start command of a service the suite has stopped, until it ran. */
    private volatile List<String> pendingStart;

    private FinishedAnnouncements announcements;

    private FaultSuite(FaultSettings settings) throws Exception {
        this.settings = settings;
        this.checks = new FaultChecks(settings);
        factory.setUri(settings.amqpUrl());
        factory.setNetworkRecoveryInterval(1_000);
    }

    public static void main(String[] args) throws Exception {
        FaultSuite suite = new FaultSuite(FaultSettings.fromSystemProperties());
        try {
            suite.run();
        } finally {
            suite.cleanUp();
        }
        System.exit(0);
    }

    private void run() throws Exception {
        announcements = new FinishedAnnouncements(factory);
        nodes.add(new NoOpNode(factory, batchNodeId, settings.batchPace(), true));
        for (String id : streamNodeIds) {
            nodes.add(new NoOpNode(factory, id));
        }
        nodes.add(new NoOpNode(factory, silentNodeId, Duration.ZERO, false));
        // Nodes re-advertise like real ones (a node silent for 3 minutes becomes unavailable).
        ScheduledExecutorService adverts = Executors.newSingleThreadScheduledExecutor();
        adverts.scheduleAtFixedRate(this::advertiseAll, 0, 20, TimeUnit.SECONDS);
        try {
            boolean single =
                    settings.only().isEmpty() || settings.only().stream().anyMatch(f -> !f.equals("f"));
            if (single) {
                singleInstanceFaults();
            }
            if (settings.runs("f")) {
                twoInstances();
            }
        } finally {
            adverts.shutdownNow();
        }
        write();
    }

    private void singleInstanceFaults() throws Exception {
        Map<String, String> env = new HashMap<>(settings.runnerEnvironment());
        env.put("FILES_SERVICE_PORT", "0");
        ManagedRunner runner = ManagedRunner.runner("runner", settings.port(), env, settings);
        processes.add(runner);
        startReady(runner);
        awaitNodesKnown(runner);
        List<ManagedRunner> one = List.of(runner);
        if (settings.runs("a")) {
            scenario("a. runner kill -9, restarted", one, 0, Recovery.END_TO_END, () -> {
                runner.kill();
                Instant lift = Instant.now();
                runner.start();
                return lift;
            });
        }
        if (settings.runs("b")) {
            scenario(
                    "b. RabbitMQ stopped " + settings.outage().toSeconds() + " s",
                    one,
                    0,
                    Recovery.END_TO_END,
                    () -> outage(settings.rabbitStop(), settings.rabbitStart()));
        }
        if (settings.runs("c")) {
            scenario(
                    "c. PostgreSQL stopped " + settings.outage().toSeconds() + " s",
                    one,
                    0,
                    Recovery.END_TO_END,
                    () -> outage(settings.pgStop(), settings.pgStart()));
        }
        if (settings.runs("d")) {
            scenario("d. batch node killed mid-step, back after 5 s", one, 0, Recovery.QUEUED_WORK_RESUMES, () -> {
                NoOpNode killed = node(batchNodeId);
                killed.abort();
                nodes.remove(killed);
                Thread.sleep(5_000);
                Instant lift = Instant.now();
                NoOpNode again = new NoOpNode(factory, batchNodeId, settings.batchPace(), true);
                again.advertise();
                nodes.add(again);
                return lift;
            });
        }
        if (settings.runs("e")) {
            scenario("e. node never answers (stepTimeoutSeconds 5)", one, 0, Recovery.NONE, Instant::now);
        }
        runner.stop();
    }

    /**
     * Two instances on one database and broker, sharing the signing keys and one stand-alone File
     * Service: awaited runs spread over both, then a batch on the second one, which is killed
     * mid-batch while the first finishes the work.
     */
    private void twoInstances() throws Exception {
        ManagedRunner files = new ManagedRunner(
                "fileservice",
                List.of(
                        "java",
                        "-Xmx256m",
                        "-cp",
                        settings.fileServiceClassPath(),
                        "org.aipipeline.runner.fileservice.boundary.FileServiceMain",
                        "--port=" + settings.filesPort(),
                        "--root=" + settings.dataDir() + "/files",
                        "--db-url=" + settings.dbUrl(),
                        "--db-user=" + settings.dbUser(),
                        "--db-password=" + settings.dbPassword()),
                Map.of(),
                "",
                settings.logDir(),
                settings.pids());
        processes.add(files);
        files.start();
        Map<String, String> env = new HashMap<>(settings.runnerEnvironment());
        env.put("FILES_SERVICE_ADDRESS", "127.0.0.1:" + settings.filesPort());
        ManagedRunner first = ManagedRunner.runner("runner-A", settings.port(), env, settings);
        ManagedRunner second = ManagedRunner.runner("runner-B", settings.secondPort(), env, settings);
        processes.add(first);
        processes.add(second);
        startReady(first);
        startReady(second);
        awaitNodesKnown(second);
        scenario("f. two instances, B killed mid-batch", List.of(first, second), 1, Recovery.END_TO_END, () -> {
            second.kill();
            return Instant.now();
        });
        first.stop();
        files.stop();
    }

    /**
     * One fault: a fresh user, the stream and probe on {@code instances}, a batch on
     * {@code instances[batchOn]} (plus, without a {@code recovery} to measure, runs whose second
     * step goes to the node that never answers), the fault {@code faults.inject.after} later,
     * recovery measured, then the checks.
     */
    private void scenario(
            String name, List<ManagedRunner> instances, int batchOn, Recovery recovery, Injection injection)
            throws Exception {
        boolean deadlines = recovery == Recovery.NONE;
        System.out.println("== " + name);
        List<String> faultNotes = new ArrayList<>();
        RunnerApi api = new RunnerApi(instances.get(0).url(), http);
        api.login();
        List<RunnerApi> apis = instances.stream().map(i -> api.at(i.url())).toList();
        long deadLettersBefore = deadLetters();
        Set<UUID> known = ConcurrentHashMap.newKeySet();
        Set<UUID> expectedFailed = new HashSet<>();
        FaultTraffic traffic = new FaultTraffic(apis, streamNodeIds, settings.streamGap());
        if (instances.size() > 1) {
            awaitedAcrossInstances(apis, traffic, known, faultNotes);
        }
        traffic.start(settings.streamThreads());
        RunnerApi batchApi = apis.get(batchOn);
        HttpResponse<String> batch =
                traffic.send(batchApi, "POST /Pipelines/Batch", api.batch(batchNodeId, settings.batchSize()));
        if (batch == null || batch.statusCode() != 202) {
            throw new IllegalStateException(
                    "batch refused: " + (batch == null ? "no answer" : batch.statusCode() + " " + batch.body()));
        }
        UUID batchId = UUID.fromString(
                RunnerApi.json(batch.body()).getJsonObject("batch").getString("pipelineBatchId"));
        Instant batchAccepted = Instant.now();
        if (deadlines) {
            HttpRequest deadlineRun = api.post(
                    "Pipelines",
                    "{\"input\":{\"type\":\"ApString\",\"value\":\"hello\"},\"steps\":["
                            + "{\"nodeId\":\"" + streamNodeIds.get(0) + "\",\"procedureId\":\"" + NoOpNode.PROCEDURE
                            + "\"},"
                            + "{\"nodeId\":\"" + silentNodeId + "\",\"procedureId\":\"" + NoOpNode.PROCEDURE
                            + "\",\"stepTimeoutSeconds\":5}]}",
                    true);
            for (int i = 0; i < DEADLINE_RUNS; i++) {
                HttpResponse<String> response = traffic.send(api, "POST /Pipelines (deadline)", deadlineRun);
                if (response != null && response.statusCode() == 202) {
                    UUID id = UUID.fromString(RunnerApi.json(response.body())
                            .getJsonObject("pipeline")
                            .getString("id"));
                    expectedFailed.add(id);
                    known.add(id);
                } else {
                    faultNotes.add("a run with stepTimeoutSeconds was refused: "
                            + (response == null ? "no answer" : response.statusCode() + " " + response.body()));
                    break;
                }
            }
        }
        Thread.sleep(settings.injectAfter().toMillis());
        Instant injected = Instant.now();
        Instant lifted = injection.inject();
        System.out.printf("  fault injected %s, lifted %.1f s later%n", injected, seconds(injected, lifted));
        RunnerApi survivor = apis.get(0);
        Instant recovered = recovery == Recovery.END_TO_END ? awaitEndToEnd(survivor, traffic, known) : null;
        Thread.sleep(settings.afterLift().toMillis());
        traffic.close();
        traffic.accepted().forEach(a -> known.add(a.pipelineId()));
        checks.drain(api.userId());
        if (recovery == Recovery.QUEUED_WORK_RESUMES) {
            recovered = firstBatchRunFinishedAfter(batchId, lifted);
        }
        FaultChecks.Verdict verdict =
                checks.judge(api.userId(), batchId, known, expectedFailed, announcements, survivor);
        List<FaultTraffic.Answer> answers = traffic.answers();
        Instant outageEnd = recovered != null && recovered.isAfter(lifted) ? recovered : lifted;
        String outside = FaultTraffic.serverErrors(answers, injected, outageEnd, false);
        String during = FaultTraffic.serverErrors(answers, injected, outageEnd, true);
        long refused = answers.stream().filter(a -> a.status() == 0).count();
        String recover = recovered == null ? "–" : String.format("%.1f", Math.max(0, seconds(lifted, recovered)));
        if (deadlines) {
            int failed = countFailed(expectedFailed);
            faultNotes.add(
                    failed + " of " + expectedFailed.size() + " runs whose second step went to the silent node with "
                            + "stepTimeoutSeconds 5 ended Failed (the rest are counted stuck)");
        }
        faultNotes.add(String.format(
                "batch accepted → fault %.1f s; fault lasted %.1f s; connections refused or timed out: %d",
                seconds(batchAccepted, injected), seconds(injected, lifted), refused));
        if (!FaultTraffic.serverErrorRoutes(answers).isEmpty()) {
            faultNotes.add("5xx by route: " + FaultTraffic.serverErrorRoutes(answers));
            traffic.firstServerErrorBodies().forEach(body -> faultNotes.add("first " + body));
        }
        faultNotes.add("dead letters added: " + (deadLetters() - deadLettersBefore) + "; outbox rows left: "
                + verdict.outboxLeft()
                + "; runs accepted whose answer the client never got: " + verdict.unknownToClient()
                + "; wrong step records: " + verdict.wrongSteps() + "; API answers differing from the tables: "
                + verdict.apiMismatches() + "; unexpected status: " + verdict.unexpectedStatus());
        faultNotes.addAll(verdict.notes());
        if (instances.size() > 1) {
            faultNotes.add(nodeRegistry(apis.get(0)));
        }
        Line line = new Line(name, verdict, outside, during, recover);
        lines.add(line);
        System.out.println(render(line));
        faultNotes.forEach(n -> System.out.println("  note: " + n));
        faultNotes.forEach(n -> notes.add(name.substring(0, 1) + ": " + n));
    }

    /** Awaited runs alternating over the instances: each must be answered, whoever records the completion. */
    private void awaitedAcrossInstances(
            List<RunnerApi> apis, FaultTraffic traffic, Set<UUID> known, List<String> faultNotes) throws Exception {
        int total = 400;
        List<HttpRequest> requests = apis.get(0).awaited(streamNodeIds, 30);
        ConcurrentLinkedQueue<Integer> statuses = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(16);
        for (int i = 0; i < total; i++) {
            int n = i;
            pool.execute(() -> {
                HttpResponse<String> response = traffic.send(
                        apis.get(n % apis.size()), "POST /Pipelines/Awaited", requests.get(n % requests.size()));
                int status = response == null ? 0 : response.statusCode();
                boolean succeeded = status == 200 && response.body().contains("\"Succeeded\"");
                statuses.add(succeeded ? 200 : status == 200 ? -1 : status);
                UUID id = awaitedId(response);
                if (id != null) {
                    known.add(id);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        Map<Integer, Integer> counts = new HashMap<>();
        statuses.forEach(s -> counts.merge(s, 1, Integer::sum));
        faultNotes.add(total + " awaited runs over both instances (16 at a time): " + counts.getOrDefault(200, 0)
                + " answered 200 Succeeded; others by status "
                + counts.entrySet().stream()
                        .filter(e -> e.getKey() != 200)
                        .map(e -> e.getKey() + "×" + e.getValue())
                        .toList()
                + " (-1 = 200 but not Succeeded, 0 = no answer)");
    }

    /** From the fault lifted until an awaited one-step run succeeds again end to end. */
    private Instant awaitEndToEnd(RunnerApi api, FaultTraffic traffic, Set<UUID> known) throws Exception {
        HttpRequest probe = api.awaited(List.of(streamNodeIds.get(0)), 10).get(0);
        long deadline = System.nanoTime() + RECOVERY_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = traffic.send(api, "POST /Pipelines/Awaited", probe);
            UUID id = awaitedId(response);
            if (id != null) {
                known.add(id);
            }
            if (response != null
                    && response.statusCode() == 200
                    && response.body().contains("\"Succeeded\"")) {
                return Instant.now();
            }
            Thread.sleep(250);
        }
        return null;
    }

    private static UUID awaitedId(HttpResponse<String> response) {
        if (response == null || (response.statusCode() != 200 && response.statusCode() != 408)) {
            return null;
        }
        JsonObject body = RunnerApi.json(response.body());
        JsonObject result = body.containsKey("result") ? body.getJsonObject("result") : body;
        return result.containsKey("pipelineId") ? UUID.fromString(result.getString("pipelineId")) : null;
    }

    private Instant firstBatchRunFinishedAfter(UUID batchId, Instant lifted) throws Exception {
        try (java.sql.Connection db = checks.connect();
                PreparedStatement q = db.prepareStatement(
                        "select min(finished_at) from pipeline_results where batch_id = ? and finished_at >= ?")) {
            q.setObject(1, batchId);
            q.setObject(2, lifted.atOffset(java.time.ZoneOffset.UTC));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                java.time.OffsetDateTime at = rs.getObject(1, java.time.OffsetDateTime.class);
                return at == null ? null : at.toInstant();
            }
        }
    }

    private int countFailed(Set<UUID> ids) throws Exception {
        try (java.sql.Connection db = checks.connect();
                PreparedStatement q = db.prepareStatement(
                        "select count(*) from pipeline_results where pipeline_id = any (?) and status = 'Failed'")) {
            q.setArray(1, db.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** Both instances list the suite's nodes as available, and the table holds each once. */
    private String nodeRegistry(RunnerApi api) throws Exception {
        Set<String> ours = new HashSet<>(streamNodeIds);
        ours.add(batchNodeId);
        ours.add(silentNodeId);
        Set<String> listed = new HashSet<>();
        for (int page = 1; page <= 50; page++) {
            HttpResponse<String> response = api.send(api.get("Nodes?pageSize=100&pageNumber=" + page));
            JsonObject body = RunnerApi.json(response.body());
            for (JsonValue item : body.getJsonArray("items")) {
                JsonObject node = item.asJsonObject();
                if (ours.contains(node.getString("id")) && node.getBoolean("available")) {
                    listed.add(node.getString("id"));
                }
            }
            if (!body.getJsonObject("pagination").getBoolean("hasNextPage")) {
                break;
            }
        }
        int rows;
        try (java.sql.Connection db = checks.connect();
                PreparedStatement q = db.prepareStatement("select count(*) from nodes where id = any (?)")) {
            q.setArray(1, db.createArrayOf("text", ours.toArray()));
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                rows = rs.getInt(1);
            }
        }
        return "node registry: " + listed.size() + " of the suite's " + ours.size() + " nodes listed available by the "
                + "surviving instance; " + rows + " rows for them in nodes";
    }

    private void startReady(ManagedRunner runner) throws Exception {
        Instant t0 = Instant.now();
        runner.start();
        if (!runner.awaitReady(http, READY_PATIENCE)) {
            throw new IllegalStateException(runner.name() + " did not become ready; see its log");
        }
        System.out.printf("  %s ready after %.1f s%n", runner.name(), seconds(t0, Instant.now()));
    }

    /** The runner accepts one-step runs on the answering nodes and lists the silent one. */
    private void awaitNodesKnown(ManagedRunner runner) throws Exception {
        RunnerApi api = new RunnerApi(runner.url(), http);
        api.login();
        List<String> answering = new ArrayList<>(streamNodeIds);
        answering.add(batchNodeId);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (HttpRequest probe : api.pipelines(answering, 1)) {
            while (api.send(probe).statusCode() != 202) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the runner never saw the suite's nodes");
                }
                Thread.sleep(200);
            }
        }
    }

    private void advertiseAll() {
        for (NoOpNode node : nodes) {
            try {
                node.advertise();
            } catch (IOException | RuntimeException e) {
                // the broker is down (fault b); the next round advertises again
            }
        }
    }

    private NoOpNode node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** Messages in runner-dead-letters-queue now (-1 when the broker cannot say). */
    private long deadLetters() {
        try (Connection connection = factory.newConnection("faults-admin");
                Channel channel = connection.createChannel()) {
            return channel.queueDeclarePassive("runner-dead-letters-queue").getMessageCount();
        } catch (Exception e) {
            return -1;
        }
    }

    /** Stops a shared service for {@code faults.outage}, starts it again; returns when it was started. */
    private Instant outage(List<String> stop, List<String> start) throws Exception {
        pendingStart = start;
        command(stop);
        Thread.sleep(settings.outage().toMillis());
        command(start);
        pendingStart = null;
        return Instant.now();
    }

    private static void command(List<String> command) throws IOException, InterruptedException {
        System.out.println("  $ " + String.join(" ", command));
        int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
    }

    /** Whatever happened: the shared services run again, our processes end, our queues go. */
    private void cleanUp() {
        try {
            if (pendingStart != null) {
                command(pendingStart);
            }
        } catch (Exception e) {
            System.err.println("RESTORING A SERVICE FAILED: " + e + " — bench/faults.sh tries again on exit");
        }
        for (ManagedRunner process : processes) {
            try {
                process.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try (Connection connection = factory.newConnection("faults-cleanup");
                Channel channel = connection.createChannel()) {
            for (NoOpNode node : nodes) {
                node.close();
            }
            for (String id : List.of(batchNodeId, silentNodeId, streamNodeIds.get(0), streamNodeIds.get(1))) {
                channel.queueDelete(id);
            }
            if (announcements != null) {
                announcements.close();
            }
        } catch (Exception e) {
            System.err.println("cleaning up the suite's queues failed: " + e);
        }
    }

    private static final String HEADER = "| fault | pipelines | finished | failed | lost | duplicated | stuck "
            + "| 5xx seen outside the outage | 5xx during the outage | seconds to recover | verdict |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|\n";

    private static String render(Line line) {
        FaultChecks.Verdict v = line.verdict();
        boolean pass = v.clean() && line.outside().equals("0");
        return String.format(
                "| %s | %d | %d | %d | %d | %d | %d | %s | %s | %s | %s |",
                line.fault(),
                v.pipelines(),
                v.finished(),
                v.failed(),
                v.lost(),
                v.duplicated(),
                v.stuck(),
                line.outside(),
                line.during(),
                line.recover(),
                pass ? "PASS" : "FAIL");
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder("# Fault suite " + LocalDate.now() + "\n\n");
        text.append(String.format(
                "Machine: %d cores; JDK %s; batch of %d one-step runs on a node taking %d ms a step, "
                        + "a stream of two-step runs (%d senders, %d ms apart), fault %d s after the batch was accepted, "
                        + "outages %d s. Command: `flock /tmp/runner-it.lock bench/faults.sh`%s.%n%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                settings.batchSize(),
                settings.batchPace().toMillis(),
                settings.streamThreads(),
                settings.streamGap().toMillis(),
                settings.injectAfter().toSeconds(),
                settings.outage().toSeconds(),
                settings.only().isEmpty() ? "" : " (FAULTS_ONLY=" + String.join(",", settings.only()) + ")"));
        text.append(HEADER);
        lines.forEach(line -> text.append(render(line)).append('\n'));
        text.append("\n");
        notes.forEach(note -> text.append("- ").append(note).append('\n'));
        System.out.println();
        System.out.println(text);
        if (settings.out() != null) {
            Report.append(settings.out(), text.toString());
        }
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
