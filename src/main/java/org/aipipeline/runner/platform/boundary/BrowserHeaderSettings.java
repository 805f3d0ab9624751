package org.aipipeline.runner.platform.boundary;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import org.aipipeline.runner.platform.control.CorsPolicy;
import org.aipipeline.runner.platform.control.SecurityHeaders;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The settings of {@link BrowserHeaders}, read and checked while the application deploys. A
 * servlet filter that fails to start is skipped by the container, so the runner would serve
 * without its security headers; a bad setting must instead fail the deployment, before
 * {@link DeploymentMark} (which runs later) tells the start-up watchdog that all went well: the
 * runner jar then exits with status 1 and the message naming the setting.
 */
@ApplicationScoped
public class BrowserHeaderSettings {

    private static final System.Logger LOG = System.getLogger(BrowserHeaderSettings.class.getName());

    @Inject
    @ConfigProperty(name = "http.cors.allowed-origins")
    Optional<String> allowedOrigins;

    @Inject
    @ConfigProperty(name = "http.cors.max-age", defaultValue = "PT10M")
    Duration corsMaxAge;

    @Inject
    @ConfigProperty(name = "http.hsts.max-age", defaultValue = "P365D")
    Duration hstsMaxAge;

    @Inject
    @ConfigProperty(name = "http.forwarded-proto.trusted", defaultValue = "false")
    boolean trustForwardedProto;

    private SecurityHeaders security;
    private CorsPolicy cors;

    @PostConstruct
    void read() {
        try {
            security = new SecurityHeaders(hstsMaxAge, trustForwardedProto);
            cors = CorsPolicy.of(allowedOrigins.orElse(null), corsMaxAge);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "Cannot start: " + e.getMessage());
            System.err.println("Orchestration Runner cannot start: " + e.getMessage());
            throw e;
        }
        if (cors.enabled()) {
            LOG.log(Level.INFO, "CORS: pages of {0} may call the API from a browser", cors.origins());
        }
    }

    /** Reads the settings at deployment, ahead of the observers of default priority. */
    void check(
            @Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                    Object started) {
        security();
    }

    public SecurityHeaders security() {
        return security;
    }

    public CorsPolicy cors() {
        return cors;
    }
}
