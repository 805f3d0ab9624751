package org.aipipeline.runner.files.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.aipipeline.runner.files.control.FileServiceClient;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The runner is ready only if the File Service answers: uploads and pipelines with files need it. */
@Readiness
@ApplicationScoped
public class FileServiceReadiness implements HealthCheck {

    @Inject
    FileServiceClient files;

    @Override
    public HealthCheckResponse call() {
        Optional<String> problem = files.problem(Duration.ofSeconds(2));
        return problem.map(p -> HealthCheckResponse.named("file-service").down().withData("error", p).build())
                .orElseGet(() -> HealthCheckResponse.named("file-service").up().build());
    }
}
