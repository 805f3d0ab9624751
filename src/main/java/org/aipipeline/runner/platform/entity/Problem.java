package org.aipipeline.runner.platform.entity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 9457 problem details. Built as an ordered map so extension members (such as
 * {@code pipelineId}) sit beside the standard ones and absent members are simply left out.
 */
public final class Problem {

    public static final String MEDIA_TYPE = "application/problem+json";

    private Problem() {}

    public static Map<String, Object> of(
            int status,
            String title,
            String detail,
            List<FieldError> errors,
            Map<String, Object> extensions,
            String requestId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        if (errors != null && !errors.isEmpty()) {
            body.put(
                    "errors",
                    errors.stream()
                            .map(e -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("field", e.field());
                                m.put("message", e.message());
                                return m;
                            })
                            .toList());
        }
        if (extensions != null) {
            extensions.forEach(body::putIfAbsent);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return body;
    }
}
