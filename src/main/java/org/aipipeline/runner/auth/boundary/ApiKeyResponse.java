package org.aipipeline.runner.auth.boundary;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;

/** {@code {"apiKey": {"name", "key", "validUntil"}}}: the only time the key is ever shown. */
public record ApiKeyResponse(CreatedApiKey apiKey) {

    @JsonbPropertyOrder({"name", "key", "validUntil"})
    @JsonbNillable
    public record CreatedApiKey(String name, String key, Instant validUntil) {}
}
