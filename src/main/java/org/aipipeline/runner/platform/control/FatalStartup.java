package org.aipipeline.runner.platform.control;

import java.lang.System.Logger.Level;

/**
 * A runner that cannot do its job must not linger half alive (no HTTP, no File Service): it says
 * why, on the log and on standard error, and exits with status 1 — unless
 * {@code platform.startup.exit-on-failure} is false (a shared application server, where only the
 * deployment should fail).
 */
public final class FatalStartup {

    private FatalStartup() {
    }

    public static void report(System.Logger log, String problem, boolean exit) {
        log.log(Level.ERROR, "Cannot start: " + problem + (exit ? ". Exiting with status 1." : ""));
        System.err.println("Orchestration Runner cannot start: " + problem);
        if (exit) {
            // From another thread: the caller may hold deployment locks the shutdown hooks need.
            new Thread(() -> System.exit(1), "runner-fatal-startup-exit").start();
        }
    }
}
