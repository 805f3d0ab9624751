package org.aipipeline.runner.platform.boundary;

import jakarta.json.spi.JsonProvider;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;

/**
 * Names the server's JSON-P implementation in the system property {@value #PROPERTY} once, at
 * deployment.
 *
 * <p>Why: every {@code Json.createReader}/{@code Json.createObjectBuilder} call (the server's own
 * MP-JWT parser makes two per authenticated request) runs {@link JsonProvider#provider()}, which
 * without that property walks a {@code ServiceLoader} over every jar of the application and then the
 * OSGi registry. Profiled under load that was 7% of the runner's CPU (bench/results/2026-11-30.md);
 * with the property set it is a cached class lookup. The property is only set when the API's own
 * class loader can load the implementation by name (otherwise {@code provider()} would fail for
 * everybody), and never overrides an operator's choice.
 */
@WebListener
public class JsonProviderPinning implements ServletContextListener {

    static final String PROPERTY = "jakarta.json.provider";
    private static final System.Logger LOG = System.getLogger(JsonProviderPinning.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        pin();
    }

    /** Sets the property if it is unset and the found implementation is loadable the way the API loads it. */
    static void pin() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        String implementation = JsonProvider.provider().getClass().getName();
        try {
            Class.forName(implementation, false, JsonProvider.class.getClassLoader());
            System.setProperty(PROPERTY, implementation);
            LOG.log(Level.DEBUG, "JSON-P provider pinned to {0}", implementation);
        } catch (ClassNotFoundException | LinkageError | SecurityException e) {
            LOG.log(
                    Level.INFO,
                    "JSON-P provider {0} is not visible to the API's class loader; "
                            + "each JSON-P call keeps looking it up",
                    implementation);
        }
    }
}
