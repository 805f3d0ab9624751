package org.aipipeline.runner.bench;

import com.rabbitmq.client.Connection;

/**
 * The four floors every figure is compared with, measured in the same run by the same client:
 * persistent AMQP round trips at concurrency 16 (throughput) and 1 (latency), PostgreSQL
 * insert+update transactions at 16 and 1.
 */
final class Floors {

    private final BenchSettings settings;
    private final Report report;
    private final CpuMeter meter;
    private Floor.Rate amqp16;
    private Floor.Rate amqp1;
    private Floor.Rate pg16;
    private Floor.Rate pg1;

    Floors(BenchSettings settings, Report report, CpuMeter meter) {
        this.settings = settings;
        this.report = report;
        this.meter = meter;
    }

    void measure(Connection connection) throws Exception {
        var start = meter.read();
        amqp16 = Floor.amqpRoundTrips(connection, 16, settings.phase());
        add("floor: AMQP persistent round trip (c=16)", amqp16, meter.since(start));
        start = meter.read();
        amqp1 = Floor.amqpRoundTrips(connection, 1, settings.phase());
        add("floor: AMQP persistent round trip (c=1)", amqp1, meter.since(start));
        start = meter.read();
        pg16 = Floor.postgresInsertUpdate(
                settings.dbUrl(), settings.dbUser(), settings.dbPassword(), 16, settings.phase());
        add("floor: PostgreSQL insert+update txns (c=16)", pg16, meter.since(start));
        start = meter.read();
        pg1 = Floor.postgresInsertUpdate(
                settings.dbUrl(), settings.dbUser(), settings.dbPassword(), 1, settings.phase());
        add("floor: PostgreSQL insert+update txns (c=1)", pg1, meter.since(start));
    }

    private void add(String name, Floor.Rate rate, CpuMeter.Usage usage) {
        report.add(new Report.Row(
                name,
                Report.rate(rate.perSecond()),
                rate.latencies(),
                rate.latencies().errors(),
                usage,
                "",
                "",
                "1.00",
                "",
                null));
    }

    Floor.Rate amqp16() {
        return amqp16;
    }

    Floor.Rate amqp1() {
        return amqp1;
    }

    Floor.Rate pg16() {
        return pg16;
    }

    Floor.Rate pg1() {
        return pg1;
    }
}
