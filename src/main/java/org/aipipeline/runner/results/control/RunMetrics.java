package org.aipipeline.runner.results.control;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.aipipeline.runner.platform.control.ApplicationMetrics;
import org.aipipeline.runner.platform.control.DatabaseCount;
import org.aipipeline.runner.results.entity.RunStatus;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The runs and steps on {@code /metrics} (application scope): runs started and finished by the
 * procedure they started with and their outcome, steps stored by node, procedure and outcome,
 * step durations by node and procedure, and the runs in flight. Counted after the commit that
 * recorded them, so a transaction run again after a deadlock counts once.
 *
 * <p>The metric objects are kept by tag values here: the registry's own lookup builds a metric id
 * per call, and the report path calls this for every step.
 */
@ApplicationScoped
public class RunMetrics {

    /** Used where there is no registry (plain construction in tests): counts nothing. */
    static final RunMetrics NONE = new RunMetrics();

    private static final String IN_FLIGHT = "select count(*) from pipeline_results where status = 'Running'";

    @Inject
    ApplicationMetrics metrics;

    @Resource(lookup = "java:app/jdbc/runner")
    DataSource dataSource;

    /** Null where the server has no MicroProfile Metrics (and in {@link #NONE}): nothing is counted. */
    private MetricRegistry registry;

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    @PostConstruct
    void findRegistry() {
        registry = metrics.registry().orElse(null);
    }

    /** Registers the gauges with the application, before any run is recorded. */
    void registerGauges(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        if (registry == null) {
            return;
        }
        registry.gauge(
                Metadata.builder()
                        .withName("runner_runs_in_flight")
                        .withDescription("Runs Running now, on every instance (a count of the running rows)")
                        .build(),
                this,
                RunMetrics::runsInFlight);
    }

    /** {@code count} runs started with {@code entry} (node/procedure of their first step). */
    public void started(String entry, int count) {
        if (registry != null) {
            counter(
                            "runner_runs_started",
                            "Runs started, by the node/procedure of their first step",
                            "procedure",
                            entry)
                    .inc(count);
        }
    }

    /** A run finished (Succeeded, Failed or Cancelled). */
    void finished(RunStatus status, String entry) {
        if (registry != null) {
            counter(
                            "runner_runs_finished",
                            "Runs finished, by outcome and the node/procedure of their first step",
                            "procedure",
                            entry,
                            "status",
                            status.name())
                    .inc();
        }
    }

    /**
     * A step stored: {@code outcome} succeeded, failed or not-run (or retried, for a failed attempt
     * that will be tried again); {@code took} from its dispatch to its report, null when unknown.
     */
    void step(String nodeId, String procedureId, String outcome, Duration took) {
        if (registry == null) {
            return;
        }
        counter(
                        "runner_steps",
                        "Step outcomes by node and procedure (retried: a failed attempt tried again)",
                        "node",
                        nodeId,
                        "procedure",
                        procedureId,
                        "outcome",
                        outcome)
                .inc();
        if (took != null && !took.isNegative()) {
            timers.computeIfAbsent(
                            nodeId + '\n' + procedureId,
                            key -> registry.timer(
                                    Metadata.builder()
                                            .withName("runner_step_duration")
                                            .withUnit(MetricUnits.SECONDS)
                                            .withDescription(
                                                    "From a step's dispatch (the run's start, or the recording of the step before) to "
                                                            + "its node's report, by node and procedure")
                                            .build(),
                                    new Tag("node", nodeId),
                                    new Tag("procedure", procedureId)))
                    .update(took);
        }
    }

    /** The counter of these tag values, made (with its tags) only the first time: this runs for every step. */
    private Counter counter(String name, String description, String... tags) {
        StringBuilder key = new StringBuilder(name);
        for (int i = 1; i < tags.length; i += 2) {
            key.append('\n').append(tags[i]);
        }
        return counters.computeIfAbsent(key.toString(), unused -> {
            Tag[] built = new Tag[tags.length / 2];
            for (int i = 0; i < tags.length; i += 2) {
                built[i / 2] = new Tag(tags[i], tags[i + 1]);
            }
            return registry.counter(
                    Metadata.builder()
                            .withName(name)
                            .withDescription(description)
                            .build(),
                    built);
        });
    }

    private long runsInFlight() {
        return DatabaseCount.of(dataSource, IN_FLIGHT);
    }
}
