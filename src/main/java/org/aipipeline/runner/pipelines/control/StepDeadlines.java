package org.aipipeline.runner.pipelines.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.time.Duration;
import org.aipipeline.runner.platform.control.DatabaseTime;
import org.aipipeline.runner.platform.control.Periodic;
import org.aipipeline.runner.platform.control.RunnerException;
import org.aipipeline.runner.results.control.RunRecords;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Fails runs whose node did not report a step before its deadline, and dispatches the retries
 * whose backoff is over ({@link StepRetries}; a step's deadline and its retry's due time are the
 * same column, so one sweep serves both). Every
 * {@code pipelines.step-timeout.sweep-interval} it asks {@link RunRecords#failExpired} for the
 * overdue runs, a chunk at a time, and answers their awaited requests. Several instances may
 * sweep at once: the rows are shared out with {@code SKIP LOCKED} and each run fails once.
 */
@ApplicationScoped
public class StepDeadlines implements Periodic {

    private static final System.Logger LOG = System.getLogger(StepDeadlines.class.getName());
    static final int CHUNK = 500;

    @Inject
    RunRecords records;

    @Inject
    AwaitedRuns awaited;

    @Inject
    StepRetries retries;

    @Inject
    @ConfigProperty(name = "pipelines.step-timeout.sweep-interval", defaultValue = "PT1S")
    Duration interval;

    private volatile boolean databaseWasDown;

    @Override
    public Duration interval() {
        return interval;
    }

    @Override
    public void runRound() {
        sweep();
    }

    /** Fails every overdue run, a chunk per transaction; answers how many it failed. */
    int sweep() {
        int failed = 0;
        try {
            retries.dispatchDue(DatabaseTime.now());
            int chunk;
            do {
                RunRecords.Recorded recorded = records.failExpired(DatabaseTime.now(), CHUNK);
                chunk = recorded.finished().size();
                if (chunk > 0) {
                    awaited.finished(recorded.finished());
                    failed += chunk;
                }
            } while (chunk == CHUNK);
            if (databaseWasDown) {
                LOG.log(Level.INFO, "Step deadline sweep works again");
                databaseWasDown = false;
            }
        } catch (RunnerException.Unavailable e) {
            if (!databaseWasDown) {
                LOG.log(Level.WARNING, "Step deadline sweep waits for the database: {0}", e.getMessage());
                databaseWasDown = true;
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "Step deadline and retry sweep failed; trying again in " + interval, e);
        }
        if (failed > 0) {
            LOG.log(Level.INFO, "Failed {0} runs whose step did not report before its deadline", failed);
        }
        return failed;
    }
}
