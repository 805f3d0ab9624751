package org.aipipeline.runner.platform.control;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.util.Optional;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * The server's MicroProfile Metrics application registry, when the server has one. Payara has;
 * WildFly 39 has none (it replaced MicroProfile Metrics by Micrometer, and the old subsystem is
 * admin-only), so there the runner's own metrics are not recorded and everything else works.
 * The WAR carries the Metrics API jar so that its classes load on such a server; a server that
 * has the API loads its own copy first. Whoever records a metric asks {@link #registry()}.
 */
@ApplicationScoped
public class ApplicationMetrics {

    private static final System.Logger LOG = System.getLogger(ApplicationMetrics.class.getName());

    @Inject
    Instance<MetricRegistry> registries;

    private Optional<MetricRegistry> registry = Optional.empty();

    @PostConstruct
    void find() {
        if (registries.isResolvable()) {
            registry = Optional.of(registries.get());
        } else {
            LOG.log(
                    Level.WARNING,
                    "This server provides no MicroProfile Metrics: the runner's metrics are not recorded");
        }
    }

    public Optional<MetricRegistry> registry() {
        return registry;
    }
}
