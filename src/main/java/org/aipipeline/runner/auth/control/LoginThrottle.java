package org.aipipeline.runner.auth.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aipipeline.runner.platform.control.RunnerException;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Refuses logins for a username after {@code auth.login.max-failures} consecutive failures, for
 * {@code auth.login.lockout}. Kept per runner instance in memory: it slows guessing, it is not an
 * account lock (a correct password after the lockout resets it). Bounded so a flood of random
 * usernames cannot grow it without limit.
 */
@ApplicationScoped
public class LoginThrottle {

    private static final int MAX_TRACKED = 100_000;

    private record Failures(int count, Instant lockedUntil) {}

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private int maxFailures;
    private Duration lockout;
    private Clock clock;

    protected LoginThrottle() {}

    @Inject
    public LoginThrottle(
            @ConfigProperty(name = "auth.login.max-failures", defaultValue = "5") int maxFailures,
            @ConfigProperty(name = "auth.login.lockout", defaultValue = "PT5M") Duration lockout) {
        this(maxFailures, lockout, Clock.systemUTC());
    }

    LoginThrottle(int maxFailures, Duration lockout, Clock clock) {
        this.maxFailures = maxFailures;
        this.lockout = lockout;
        this.clock = clock;
    }

    public void checkAllowed(String username) {
        Failures f = failures.get(key(username));
        Instant now = clock.instant();
        if (f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())) {
            long seconds = Math.max(1, Duration.between(now, f.lockedUntil()).toSeconds());
            throw new RunnerException.TooManyRequests(
                    "Too many failed logins for this username; try again in " + seconds + " s", seconds);
        }
    }

    public void failed(String username) {
        Instant now = clock.instant();
        if (failures.size() >= MAX_TRACKED) {
            // Bound the memory without lifting anyone's lockout: forget counts that have not (or
            // no longer) locked a name, keep the active lockouts.
            failures.values().removeIf(f -> f.lockedUntil() == null || !now.isBefore(f.lockedUntil()));
        }
        failures.compute(key(username), (k, f) -> {
            int count = (f == null || (f.lockedUntil() != null && !now.isBefore(f.lockedUntil()))) ? 1 : f.count() + 1;
            return new Failures(count, count >= maxFailures ? now.plus(lockout) : null);
        });
    }

    public void succeeded(String username) {
        failures.remove(key(username));
    }

    private static String key(String username) {
        return username.toLowerCase(Locale.ROOT);
    }
}
