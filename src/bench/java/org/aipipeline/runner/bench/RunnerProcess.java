package org.aipipeline.runner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The runner JVM under test, read from outside: heap used after a full GC and the JIT's compile
 * backlog (jcmd), the resident set size (/proc). Reports "n/a" when no pid was given. Each jcmd
 * starts a JVM (about half a CPU second), so these are read between measurements, never during.
 */
final class RunnerProcess {

    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final long pid;

    RunnerProcess(long pid) {
        this.pid = pid;
    }

    String heapAfterGcMiB() {
        if (pid <= 0) {
            return "n/a";
        }
        run("jcmd", Long.toString(pid), "GC.run");
        String info = run("jcmd", Long.toString(pid), "GC.heap_info");
        Matcher m = HEAP_USED.matcher(info);
        return m.find() ? String.format("%.0f", Long.parseLong(m.group(1)) / 1024.0) : "n/a";
    }

    /**
     * Methods waiting in the C1 and C2 compile queues: on 2 cores a large backlog means the
     * compiler, not the code, is what a figure measures.
     */
    String compileQueue() {
        if (pid <= 0) {
            return "n/a";
        }
        String out = run("jcmd", Long.toString(pid), "Compiler.queue");
        if (!out.contains("compile queue")) {
            return "n/a";
        }
        int queued = 0;
        boolean inQueue = false;
        for (String line : out.split("\n")) {
            String trimmed = line.trim();
            if (trimmed.endsWith("compile queue:")) {
                inQueue = true;
            } else if (trimmed.isEmpty() || trimmed.endsWith(":")) {
                inQueue = false;
            } else if (inQueue && !trimmed.equals("Empty")) {
                queued++;
            }
        }
        return Integer.toString(queued);
    }

    String rssMiB() {
        if (pid <= 0) {
            return "n/a";
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    long kb = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format("%.0f", kb / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return "n/a";
        }
        return "n/a";
    }

    private static String run(String... command) {
        try {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes());
            process.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
