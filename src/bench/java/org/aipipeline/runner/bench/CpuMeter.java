package org.aipipeline.runner.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU used over a measured interval, in cores (CPU seconds per wall second): by this driver, by
 * the runner JVM (from /proc/&lt;pid&gt;/stat) and by the whole machine (from /proc/stat). The
 * three side by side tell who is the cap: on 2 cores a driver near 1 core or a machine near 2
 * means the figure measures the machine, not the runner.
 */
final class CpuMeter {

    /** What a figure cost; NaN where it could not be read. */
    record Usage(double driverCores, double runnerCores, double machineCores) {}

    /** One reading; two readings make a {@link Usage}. */
    record Reading(long wallNanos, long driverCpuNanos, long runnerTicks, long machineBusyTicks) {}

    // USER_HZ: the unit of /proc's CPU times; 100 on every Linux this runs on, read once anyway.
    private static final double TICKS_PER_SECOND = ticksPerSecond();

    private final long runnerPid;
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    CpuMeter(long runnerPid) {
        this.runnerPid = runnerPid;
    }

    Reading read() {
        return new Reading(System.nanoTime(), os.getProcessCpuTime(), runnerTicks(), machineBusyTicks());
    }

    Usage since(Reading start) {
        Reading end = read();
        double wall = (end.wallNanos() - start.wallNanos()) / 1e9;
        return new Usage(
                (end.driverCpuNanos() - start.driverCpuNanos()) / 1e9 / wall,
                ticksToCores(start.runnerTicks(), end.runnerTicks(), wall),
                ticksToCores(start.machineBusyTicks(), end.machineBusyTicks(), wall));
    }

    private static double ticksToCores(long from, long to, double wallSeconds) {
        return from < 0 || to < 0 ? Double.NaN : (to - from) / TICKS_PER_SECOND / wallSeconds;
    }

    /** utime + stime of the runner: fields 14 and 15, counted after the ")" that ends the command name. */
    private long runnerTicks() {
        if (runnerPid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(runnerPid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Every CPU's time except idle and iowait, from the first line of /proc/stat. */
    private static long machineBusyTicks() {
        try {
            String[] fields =
                    Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < Math.min(fields.length, 9); i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(fields[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static double ticksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            return Double.parseDouble(new String(getconf.getInputStream().readAllBytes()).trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }
}
