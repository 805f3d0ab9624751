package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TimedCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final TimedCache<String, String> cache = new TimedCache<>(Duration.ofNanos(100), 3, now::get);

    @Test
    void anEntryIsTrustedUntilItsTtlEnds() {
        cache.put("a", "1");
        now.addAndGet(99);
        assertEquals("1", cache.get("a"));
        now.addAndGet(1);
        assertNull(cache.get("a"), "read again once the ttl passed");
    }

    @Test
    void invalidationAndClearingForgetAtOnce() {
        cache.put("a", "1");
        cache.put("b", "2");
        cache.invalidate("a");
        assertNull(cache.get("a"));
        assertEquals("2", cache.get("b"));
        cache.clear();
        assertNull(cache.get("b"));
    }

    @Test
    void aFullCacheStartsOverInsteadOfGrowing() {
        cache.put("a", "1");
        cache.put("b", "2");
        cache.put("c", "3");
        cache.put("d", "4");
        assertNull(cache.get("a"));
        assertEquals("4", cache.get("d"));
    }

    @Test
    void aZeroTtlCachesNothing() {
        TimedCache<String, String> off = new TimedCache<>(Duration.ZERO, 10, now::get);
        off.put("a", "1");
        assertNull(off.get("a"));
    }
}
