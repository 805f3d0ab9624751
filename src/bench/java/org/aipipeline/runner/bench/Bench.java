package org.aipipeline.runner.bench;

import java.util.List;

/** What every scenario works with: the runner under test, its API and tables, the floors and the report. */
record Bench(
        BenchSettings settings,
        RunnerProcess runner,
        CpuMeter meter,
        Report report,
        HttpLoad http,
        RunnerApi api,
        RunnerTables tables,
        Floors floors,
        List<String> nodeIds) {

    /** The start of a measured phase: the JIT backlog just before it and the CPU counters. */
    record Phase(String jitQueue, CpuMeter.Reading start) {}

    /** Reads the JIT queue first: jcmd's own CPU belongs to no scenario. */
    Phase begin() {
        String jit = runner.compileQueue();
        return new Phase(jit, meter.read());
    }

    CpuMeter.Usage since(Phase phase) {
        return meter.since(phase.start());
    }
}
