package org.aipipeline.runner.platform.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aipipeline.runner.platform.control.FatalStartup;
import org.aipipeline.runner.platform.control.ListeningSockets;
import org.aipipeline.runner.platform.control.StartupWatchdog;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Exits a runner whose HTTP port was taken. Payara Micro binds its HTTP listener before it
 * deploys the application and, when the port is taken, only logs a {@code BindException} and goes
 * on without HTTP: a process that looks alive and serves nothing. Once deployed, this check reads
 * the listener's port from the server's live configuration ({@code <instanceRoot>/config/
 * domain.xml}, listener {@code http-listener}) and asks {@code /proc} whether this process listens
 * on it. Where either cannot be read (another server, another OS) it does nothing.
 */
@ApplicationScoped
public class HttpListenerCheck {

    private static final System.Logger LOG = System.getLogger(HttpListenerCheck.class.getName());
    private static final Pattern LISTENER = Pattern.compile("<network-listener\\b[^>]*\\bname=\"http-listener\"[^>]*>");
    private static final Pattern PORT = Pattern.compile("\\bport=\"(\\d{1,5})\"");
    private static final Pattern DISABLED = Pattern.compile("\\benabled=\"false\"");

    @Inject
    @ConfigProperty(name = "platform.startup.exit-on-failure", defaultValue = "true")
    boolean exitOnFailure;

    void check(@Observes @Initialized(ApplicationScoped.class) Object deployed) {
        StartupWatchdog.markDeployed();
        Optional<Integer> port = configuredPort(System.getProperty("com.sun.aas.instanceRoot"));
        if (port.isEmpty() || !ListeningSockets.canTell()) {
            return;
        }
        try {
            if (!ListeningSockets.thisProcessListensOn(port.get())) {
                FatalStartup.report(LOG, "HTTP port " + port.get() + " is taken by another process, so this runner "
                        + "cannot serve its API; stop that process or start the runner with --port <a free port>",
                        exitOnFailure);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "Cannot tell whether the HTTP port is ours: {0}", e.getMessage());
        }
    }

    /** The port of the enabled listener {@code http-listener} in {@code <instanceRoot>/config/domain.xml}. */
    static Optional<Integer> configuredPort(String instanceRoot) {
        if (instanceRoot == null) {
            return Optional.empty();
        }
        try {
            return portOfHttpListener(Files.readString(Path.of(instanceRoot, "config", "domain.xml")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    static Optional<Integer> portOfHttpListener(String domainXml) {
        Matcher listener = LISTENER.matcher(domainXml);
        if (!listener.find() || DISABLED.matcher(listener.group()).find()) {
            return Optional.empty();
        }
        Matcher port = PORT.matcher(listener.group());
        return port.find() ? Optional.of(Integer.parseInt(port.group(1))) : Optional.empty();
    }
}
