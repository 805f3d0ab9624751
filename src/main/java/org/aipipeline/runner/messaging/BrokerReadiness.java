package org.aipipeline.runner.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the broker is connected and the protocol's topology is declared on it. */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements HealthCheck {

    @Inject
    Broker broker;

    @Inject
    Topology topology;

    @Override
    public HealthCheckResponse call() {
        boolean connected = broker.isConnected();
        boolean declared = topology.isDeclared();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("broker")
                .status(connected && declared)
                .withData("connected", connected)
                .withData("topologyDeclared", declared);
        String error = broker.lastError();
        if (error != null) {
            response.withData("error", error);
        }
        return response.build();
    }
}
