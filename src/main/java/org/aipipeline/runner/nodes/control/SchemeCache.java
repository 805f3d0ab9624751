package org.aipipeline.runner.nodes.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;

/**
 * Parsed procedure schemes, so validating a pipeline does not re-parse stored JSON on every
 * request. Keyed by the stored JSON text itself: a parsed scheme is a pure function of it, so an
 * entry can never be stale, whatever order adverts and reads interleave in (keying by the node's
 * content hash once served an old scheme under a new schemaVersion). Bounded by clearing when
 * full, which is cheap and rare (a platform has few procedures).
 */
@ApplicationScoped
public class SchemeCache {

    static final int MAX_ENTRIES = 10_000;

    private final ApElementJson json = new ApElementJson();
    private final Map<String, ApElement> parsed = new ConcurrentHashMap<>();

    /** The scheme stored as {@code storedJson}, parsed once. */
    public ApElement scheme(String storedJson) {
        if (parsed.size() >= MAX_ENTRIES) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(storedJson, json::parse);
    }
}
