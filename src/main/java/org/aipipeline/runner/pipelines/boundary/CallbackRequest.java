package org.aipipeline.runner.pipelines.boundary;

import java.util.List;
import org.aipipeline.runner.callbacks.control.CallbackTargets;

/**
 * {@code callback} of a run request: where the run's events are POSTed, the secret that signs them
 * (optional) and which events (optional, default finished). Checked with the rest of the request.
 */
public record CallbackRequest(String url, String secret, List<String> events) {

    static CallbackTargets.Requested requested(CallbackRequest callback) {
        return callback == null
                ? null
                : new CallbackTargets.Requested(callback.url(), callback.secret(), callback.events());
    }
}
