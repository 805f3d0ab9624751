package org.aipipeline.runner.platform.control;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Read-mostly facts kept in memory for a bounded time: each entry is trusted for {@code ttl}
 * after it was read, then read again. Events of this instance remove entries at once
 * ({@link #invalidate}, {@link #clear}); the ttl bounds how long a change made by another runner
 * instance can go unseen. Beyond {@code maxEntries} the whole map is dropped rather than evicted
 * one by one: the cache only ever saves work, it never has to be complete.
 */
public final class TimedCache<K, V> {

    private record Entry<V>(V value, long expiresAt) {}

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final long ttlNanos;
    private final int maxEntries;
    private final LongSupplier clock;

    public TimedCache(Duration ttl, int maxEntries) {
        this(ttl, maxEntries, System::nanoTime);
    }

    /** With a clock of nanoseconds, for tests. */
    public TimedCache(Duration ttl, int maxEntries, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    /** The value read less than ttl ago, or null. */
    public V get(K key) {
        Entry<V> entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() - entry.expiresAt() >= 0) {
            entries.remove(key, entry);
            return null;
        }
        return entry.value();
    }

    public void put(K key, V value) {
        if (ttlNanos <= 0) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(value, clock.getAsLong() + ttlNanos));
    }

    public void invalidate(K key) {
        entries.remove(key);
    }

    public void clear() {
        entries.clear();
    }
}
