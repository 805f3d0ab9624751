package org.aipipeline.runner.platform.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import org.aipipeline.runner.platform.control.StartupWatchdog;

/**
 * Tells the start-up watchdog that the application is deployed, so that the end of the server's
 * boot thread is not taken for a failed start.
 */
@ApplicationScoped
public class DeploymentMark {

    void deployed(@Observes @Initialized(ApplicationScoped.class) Object started) {
        StartupWatchdog.markDeployed();
    }
}
