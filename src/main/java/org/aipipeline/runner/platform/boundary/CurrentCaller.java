package org.aipipeline.runner.platform.boundary;

import jakarta.enterprise.context.RequestScoped;
import java.util.UUID;
import org.aipipeline.runner.platform.control.RunnerException;

/**
 * Who is calling, established once per request by the authentication filter. Resources read it
 * to scope every query to the caller's own data.
 */
@RequestScoped
public class CurrentCaller {

    public enum Via {
        ACCESS_TOKEN,
        API_KEY,
        STREAM_TOKEN
    }

    private UUID userId;
    private Via via;

    public void authenticate(UUID userId, Via via) {
        this.userId = userId;
        this.via = via;
    }

    public UUID userId() {
        if (userId == null) {
            throw new RunnerException.Unauthorized("Authentication required");
        }
        return userId;
    }

    /** Whether a filter established the caller already (a stream token, before the usual authentication). */
    public boolean isAuthenticated() {
        return userId != null;
    }

    public boolean isViaApiKey() {
        return via == Via.API_KEY;
    }
}
