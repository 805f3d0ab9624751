package org.aipipeline.runner.files.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.aipipeline.runner.files.control.FileServiceConnection;
import org.aipipeline.runner.fileservice.entity.FileServiceChannel;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * The runner is ready only if the File Service answers: uploads and pipelines with files need it.
 * The check's data names the File Service's address, which nodes need as well and which is
 * random in the integration tests ({@code FILES_SERVICE_PORT=0}). Asked of the connection
 * rather than of the client, whose Fault Tolerance would refuse the question while its circuit
 * is open.
 */
@Readiness
@ApplicationScoped
public class FileServiceReadiness implements HealthCheck {

    @Inject
    FileServiceConnection files;

    @Inject
    Instance<FileServiceChannel> fileService;

    @Override
    public HealthCheckResponse call() {
        Optional<String> problem = files.problem(Duration.ofSeconds(2));
        var response = HealthCheckResponse.named("file-service")
                .withData("address", fileService.get().target());
        return problem.map(p -> response.down().withData("error", p))
                .orElseGet(response::up)
                .build();
    }
}
