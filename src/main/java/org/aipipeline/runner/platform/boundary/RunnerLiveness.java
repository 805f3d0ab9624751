package org.aipipeline.runner.platform.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/** Alive as long as the JVM can still serve a request and has heap to spare. */
@Liveness
@ApplicationScoped
public class RunnerLiveness implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        Runtime runtime = Runtime.getRuntime();
        long used = runtime.totalMemory() - runtime.freeMemory();
        boolean heapOk = used < runtime.maxMemory() * 0.95;
        return HealthCheckResponse.named("runner")
                .status(heapOk)
                .withData("heapUsedMiB", used >> 20)
                .withData("heapMaxMiB", runtime.maxMemory() >> 20)
                .build();
    }
}
