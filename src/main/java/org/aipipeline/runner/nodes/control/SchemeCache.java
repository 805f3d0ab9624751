package org.aipipeline.runner.nodes.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.aipipeline.runner.apscheme.ApElement;
import org.aipipeline.runner.apscheme.ApElementJson;

/**
 * Parsed procedure schemes, so validating a pipeline does not re-parse stored JSON on every
 * request. Keyed by the node's content hash: the hash and the procedures are read in one query,
 * so a key always matches the stored JSON, and a changed advert simply gets new keys. Bounded by
 * clearing when full, which is cheap and rare (a platform has few procedures).
 */
@ApplicationScoped
public class SchemeCache {

    static final int MAX_ENTRIES = 10_000;

    /** Which of a procedure's two schemes. */
    public enum Side { INPUT, OUTPUT }

    private record Key(String contentHash, String nodeId, String procedureId, Side side) {
    }

    private final ApElementJson json = new ApElementJson();
    private final Map<Key, ApElement> parsed = new ConcurrentHashMap<>();

    public ApElement scheme(String contentHash, String nodeId, String procedureId, Side side, String storedJson) {
        if (parsed.size() >= MAX_ENTRIES) {
            parsed.clear();
        }
        return parsed.computeIfAbsent(new Key(contentHash, nodeId, procedureId, side), key -> json.parse(storedJson));
    }
}
