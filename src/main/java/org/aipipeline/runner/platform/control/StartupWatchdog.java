package org.aipipeline.runner.platform.control;

import java.lang.instrument.Instrumentation;

/**
 * Makes {@code java -jar runner-microbundle.jar} exit with status 1 when the server fails to
 * start. Payara Micro boots and deploys on the main thread; when the boot fails (for instance its
 * HTTP port is taken: "Server failed to start") the main thread ends with the error logged, but
 * the server's other threads keep the JVM alive, serving nothing. Started before {@code main} by
 * the jar's {@code Launcher-Agent-Class} attribute (added to the microbundle by the build), this
 * waits for the main thread and exits unless the application said it was deployed
 * ({@link #markDeployed()}, at CDI start-up, which on Payara Micro happens on that same thread).
 */
public final class StartupWatchdog {

    static final String DEPLOYED = "org.aipipeline.runner.deployed";

    private StartupWatchdog() {}

    /**
     * Called by the JVM on the main thread before the jar's main class runs. Also the one place
     * that runs before Payara Micro boots, so it keeps the data grid on loopback too
     * ({@link LoopbackDataGrid}).
     */
    public static void agentmain(String arguments, Instrumentation instrumentation) {
        LoopbackDataGrid.configure();
        watch(Thread.currentThread());
    }

    /** The application is deployed: the end of the boot thread is no longer a failure. */
    public static void markDeployed() {
        System.setProperty(DEPLOYED, "true");
    }

    static Thread watch(Thread boot) {
        Thread watchdog = new Thread(
                () -> {
                    try {
                        boot.join();
                    } catch (InterruptedException e) {
                        return;
                    }
                    if (System.getProperty(DEPLOYED) == null) {
                        System.err.println(
                                "Orchestration Runner cannot start: the server did not start (see the errors above, "
                                        + "such as a port already in use). Exiting with status 1.");
                        System.exit(1);
                    }
                },
                "runner-startup-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }
}
