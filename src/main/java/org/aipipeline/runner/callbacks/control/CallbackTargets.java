package org.aipipeline.runner.callbacks.control;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.aipipeline.runner.platform.entity.FieldError;
import org.aipipeline.runner.results.control.RunCallback;

/**
 * Which URLs a callback may POST to. Only absolute {@code http}/{@code https} URLs; and, unless
 * {@code webhooks.allow-private-targets}, none whose host is (or resolves to) a loopback,
 * link-local, wildcard or multicast address: a runner must not be made to call its own admin ports
 * or a cloud's metadata service (169.254.169.254) on a user's behalf (SSRF). Checked when the run is
 * submitted (literal addresses and names that resolve now) and again before every delivery, since
 * a name may resolve elsewhere later.
 */
public final class CallbackTargets {

    static final int MAX_SECRET_LENGTH = 256;
    static final int MAX_URL_LENGTH = 2000;

    private final boolean allowPrivate;

    public CallbackTargets(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** What a run request asked for; any part may be missing. */
    public record Requested(String url, String secret, List<String> events) {}

    /**
     * The callback, or null when none was asked for; every problem is added to {@code errors}
     * (fields {@code callback.url}, {@code callback.secret}, {@code callback.events[i]}), and then
     * null is answered too.
     */
    public RunCallback check(Requested requested, List<FieldError> errors) {
        if (requested == null) {
            return null;
        }
        int before = errors.size();
        String url = requested.url();
        if (url == null || url.isBlank()) {
            errors.add(new FieldError("callback.url", "is required: the http(s) URL the run's events are POSTed to"));
        } else if (url.length() > MAX_URL_LENGTH) {
            errors.add(new FieldError("callback.url", "must be at most " + MAX_URL_LENGTH + " characters"));
        } else {
            String problem = problemWith(url);
            if (problem != null) {
                errors.add(new FieldError("callback.url", problem));
            }
        }
        if (requested.secret() != null
                && (requested.secret().isEmpty() || requested.secret().length() > MAX_SECRET_LENGTH)) {
            errors.add(new FieldError(
                    "callback.secret",
                    "must be 1.." + MAX_SECRET_LENGTH + " characters (or left out: "
                            + "deliveries are then not signed)"));
        }
        Set<String> events = new LinkedHashSet<>();
        List<String> asked = requested.events() == null ? List.of() : requested.events();
        for (int i = 0; i < asked.size(); i++) {
            if (asked.get(i) == null || !RunCallback.EVENTS.contains(asked.get(i))) {
                errors.add(new FieldError(
                        "callback.events[" + i + "]",
                        "unknown event '" + asked.get(i) + "'; one of " + String.join(", ", RunCallback.EVENTS)));
            } else {
                events.add(asked.get(i));
            }
        }
        if (errors.size() > before) {
            return null;
        }
        return new RunCallback(url, requested.secret(), events.isEmpty() ? RunCallback.DEFAULT_EVENTS : events);
    }

    /** Why the runner will not POST to {@code url}, or null when it may. */
    public String problemWith(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a URL: " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "must be an absolute http or https URL, got scheme '" + scheme + "'";
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            return "must name a host";
        }
        if (allowPrivate) {
            return null;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(uri.getHost());
        } catch (UnknownHostException e) {
            return "host '" + uri.getHost() + "' does not resolve";
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return "host '" + uri.getHost() + "' is " + address.getHostAddress() + ", a loopback, link-local, "
                        + "wildcard or multicast address, which callbacks may not reach (webhooks.allow-private-targets)";
            }
        }
        return null;
    }

    static boolean isInternal(InetAddress address) {
        return address.isLoopbackAddress()
                || address.isLinkLocalAddress()
                || address.isAnyLocalAddress()
                || address.isMulticastAddress();
    }
}
