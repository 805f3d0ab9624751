package org.aipipeline.runner.apscheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A simple harness (not a test, not in the WAR): parse and fits throughput for a ~1 KB and a
 * ~100 KB element. Run by {@code bench/apscheme.sh}. Figures are indicative only: one JVM, no
 * fork isolation, a fixed warm-up.
 */
public final class ApSchemeBenchmark {

    private static final ApElementJson JSON = new ApElementJson();
    private static volatile Object sink;

    public static void main(String[] args) {
        run("1 KB", rows(4), 2_000_000_000L);
        run("100 KB", rows(420), 2_000_000_000L);
    }

    private static void run(String label, ApElement value, long nanos) {
        String wire = JSON.print(value);
        ApElement scheme = schemeFor(value);
        Fit fit = SchemeCompatibility.fits(value, scheme);
        if (!fit.ok()) {
            throw new IllegalStateException(fit.toString());
        }
        System.out.printf("%s element: %,d bytes of JSON%n", label, wire.length());
        measure(label + " parse", nanos, () -> sink = JSON.parse(wire));
        measure(label + " fits", nanos, () -> sink = SchemeCompatibility.fits(value, scheme));
        measure(label + " parse+fits", nanos, () -> sink = SchemeCompatibility.fits(JSON.parse(wire), scheme));
        measure(label + " print", nanos, () -> sink = JSON.print(value));
    }

    private static void measure(String name, long nanos, Runnable operation) {
        // warm-up as long as the measurement, so the JIT has compiled the hot paths
        repeatFor(nanos, operation);
        long start = System.nanoTime();
        long ops = repeatFor(nanos, operation);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("  %-20s %,12.0f ops/s %10.2f µs/op%n", name, ops / seconds, seconds * 1e6 / ops);
    }

    private static long repeatFor(long nanos, Runnable operation) {
        long ops = 0;
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 16; i++) {
                operation.run();
            }
            ops += 16;
        }
        return ops;
    }

    /** An OCR-like result list: every type appears, nested lists of objects. */
    private static ApElement rows(int count) {
        List<ApElement> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, ApElement> row = new LinkedHashMap<>();
            row.put("code", new ApString("315/80R22.5 156L " + i));
            row.put("confidence", ApDecimal.of("0.9" + i));
            row.put("count", ApInt.of(i));
            row.put("image", ApFile.of(new UUID(i, i), "image/jpeg"));
            row.put("detector", ApEnum.of("GoogleGemini"));
            rows.add(ApObject.of(row));
        }
        Map<String, ApElement> root = new LinkedHashMap<>();
        root.put("rows", new ApList(rows));
        root.put("done", new ApBool(true));
        return ApObject.of(root);
    }

    private static ApElement schemeFor(ApElement value) {
        Map<String, ApElement> row = new LinkedHashMap<>();
        row.put("code", ApString.template());
        row.put("confidence", ApDecimal.template());
        row.put("count", ApInt.template());
        row.put("image", ApFile.template(List.of("image/jpeg", "image/png")));
        row.put("detector", ApEnum.template(List.of("GoogleGemini", "OpenAiGpt")));
        Map<String, ApElement> root = new LinkedHashMap<>();
        root.put("rows", ApList.template(new ApObject(row, List.of("count"))));
        root.put("done", ApBool.template());
        return ApObject.of(root);
    }
}
