package org.aipipeline.runner.events.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenStreamTest {

    @Test
    void aStreamWhoseWriteIsStuckGetsNoSecondWriteWhileOthersGoOn() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(2);
        try {
            OpenStream stuck = new OpenStream(null, null, null, UUID.randomUUID());
            OpenStream reading = new OpenStream(null, null, null, UUID.randomUUID());
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger written = new AtomicInteger();

            assertTrue(stuck.offer(writers, () -> {
                started.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertFalse(stuck.offer(writers, written::incrementAndGet), "skipped while its write is stuck");
            CountDownLatch done = new CountDownLatch(1);
            assertTrue(
                    reading.offer(writers, () -> {
                        written.incrementAndGet();
                        done.countDown();
                    }),
                    "another stream is written meanwhile");
            assertTrue(done.await(10, TimeUnit.SECONDS));

            release.countDown();
            CountDownLatch again = new CountDownLatch(1);
            for (int i = 0; i < 100 && !stuck.offer(writers, again::countDown); i++) {
                Thread.sleep(20); // until the stuck write's finally has run
            }
            assertTrue(again.await(10, TimeUnit.SECONDS), "written again once the stuck write ended");
            assertEquals(1, written.get());
        } finally {
            writers.shutdownNow();
        }
    }
}
