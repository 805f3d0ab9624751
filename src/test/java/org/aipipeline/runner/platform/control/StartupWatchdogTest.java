package org.aipipeline.runner.platform.control;

import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

class StartupWatchdogTest {

    @Test
    void aBootThreadEndingAfterTheDeploymentLeavesTheProcessAlone() throws Exception {
        // Were it to exit, the test JVM would die and the run fail.
        java.util.concurrent.CountDownLatch watched = new java.util.concurrent.CountDownLatch(1);
        Thread boot = new Thread(
                () -> {
                    try {
                        watched.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    StartupWatchdog.markDeployed();
                },
                "boot");
        boot.start();
        Thread watchdog = StartupWatchdog.watch(boot);
        watched.countDown();
        watchdog.join(5_000);
        assertFalse(watchdog.isAlive(), "the watchdog is done once the boot thread ended");
    }
}
