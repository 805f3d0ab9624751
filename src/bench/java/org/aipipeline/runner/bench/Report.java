package org.aipipeline.runner.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's table: every figure beside what it cost in CPU (driver, runner, machine), its
 * ratio to the floor measured in the same run, and its goal with PASS or MISS. Rows are printed
 * as they are measured, so a long run shows progress; the whole table is appended to the file.
 */
final class Report {

    /** One line of the table; {@code met} is null for a figure without a goal. */
    record Row(
            String scenario,
            String throughput,
            Latencies latencies,
            int errors,
            CpuMeter.Usage usage,
            String jitQueue,
            String rssMiB,
            String ratio,
            String goal,
            Boolean met) {}

    private static final String HEADER = "| scenario | throughput | p50 ms | p95 ms | p99 ms | errors | driver cores "
            + "| runner cores | machine busy cores | runner JIT queue before | runner RSS MiB | ratio to floor | goal | verdict |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    private final List<String> lines = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void add(Row row) {
        Latencies l = row.latencies();
        CpuMeter.Usage u = row.usage();
        String line = String.format(
                "| %s | %s | %s | %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |",
                row.scenario(),
                row.throughput(),
                l == null ? "" : millis(l.percentileMillis(50)),
                l == null ? "" : millis(l.percentileMillis(95)),
                l == null ? "" : millis(l.percentileMillis(99)),
                row.errors(),
                u == null ? "" : cores(u.driverCores()),
                u == null ? "" : cores(u.runnerCores()),
                u == null ? "" : cores(u.machineCores()),
                row.jitQueue(),
                row.rssMiB(),
                row.ratio(),
                row.goal(),
                row.met() == null ? "" : row.met() ? "PASS" : "MISS");
        lines.add(line);
        System.out.println(line);
    }

    /** A sentence under the table: a check on the driver, a count the table has no column for. */
    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    static String ratio(double value, double floor) {
        return Double.isNaN(value) || floor <= 0 ? "" : String.format("%.2f", value / floor);
    }

    static String rate(double perSecond) {
        return Double.isNaN(perSecond) ? "" : String.format("%.0f/s", perSecond);
    }

    private static String millis(double value) {
        return Double.isNaN(value) ? "" : String.format("%.2f", value);
    }

    private static String cores(double value) {
        return Double.isNaN(value) ? "n/a" : String.format("%.2f", value);
    }

    String render(String title, String machine) {
        StringBuilder out = new StringBuilder("# ")
                .append(title)
                .append("\n\n")
                .append(machine)
                .append("\n\n")
                .append(HEADER);
        lines.forEach(line -> out.append(line).append('\n'));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        return out.toString();
    }

    static void append(String file, String text) throws IOException {
        Path path = Path.of(file);
        Files.createDirectories(path.toAbsolutePath().getParent());
        String existing = Files.exists(path) ? Files.readString(path) + "\n" : "";
        Files.writeString(path, existing + text);
    }
}
