package org.aipipeline.runner.platform.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Starts every {@link Periodic} bean with the application (which also instantiates it: the
 * beans are application-scoped, so nothing else would before their first use) and runs its
 * rounds on the container's scheduler until undeploy. A round that throws would cancel all later
 * ones, so it is caught and logged here.
 */
@ApplicationScoped
public class PeriodicWork {

    private static final System.Logger LOG = System.getLogger(PeriodicWork.class.getName());

    @Resource(lookup = "java:comp/DefaultManagedScheduledExecutorService")
    ManagedScheduledExecutorService scheduler;

    @Inject
    @Any
    Instance<Periodic> work;

    private final List<ScheduledFuture<?>> scheduled = new ArrayList<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        for (Instance.Handle<Periodic> handle : work.handles()) {
            Periodic periodic = handle.get();
            String name = handle.getBean().getBeanClass().getSimpleName();
            long every = periodic.interval().toMillis();
            scheduled.add(scheduler.scheduleWithFixedDelay(
                    () -> runRound(periodic, name), every, every, TimeUnit.MILLISECONDS));
            LOG.log(Level.DEBUG, "{0} runs every {1}", name, periodic.interval());
        }
    }

    private static void runRound(Periodic periodic, String name) {
        try {
            periodic.runRound();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, name + " round failed; the next one runs as planned: " + e);
        }
    }

    @PreDestroy
    void stop() {
        scheduled.forEach(task -> task.cancel(false));
    }
}
