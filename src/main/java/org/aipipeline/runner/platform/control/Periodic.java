package org.aipipeline.runner.platform.control;

import java.time.Duration;

/**
 * Work repeated from application start until undeploy (a sweep, a relay, a watcher): every
 * application-scoped bean implementing it is started by {@link PeriodicWork}, the runner's one
 * way of running something periodically. Rounds of one bean never overlap.
 */
public interface Periodic {

    /** The pause before the first round and between the end of one round and the start of the next. */
    Duration interval();

    /** One round. An exception is logged and the next round runs as planned. */
    void runRound();
}
