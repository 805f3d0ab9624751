#!/usr/bin/env bash
# The embedded Qpid broker against RabbitMQ: persistent, confirmed AMQP round trips at concurrency
# 1 and 16 with the benchmark's floor code (bench.EmbeddedBrokerFloor), printed as one table and
# appended to bench/results/<date>-embedded-broker.md. Needs a build with the test classpath
# (BENCH_BUILD=0 reuses target/bench.classpath like bench/run.sh).
#   SECONDS_EACH (10)   seconds per measurement;  RABBITMQ_URL (amqp://guest:guest@127.0.0.1:5672)
set -euo pipefail
cd "$(dirname "$0")/.."
CLASSPATH_FILE=target/bench.classpath
if [ "${BENCH_BUILD:-1}" != 0 ]; then
  mvn -q -B -Pbench test-compile dependency:build-classpath -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
OUT=bench/results/$(date +%F)-embedded-broker.md
{
  echo "# Embedded broker vs RabbitMQ $(date +%F)"
  echo
  java -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" org.aipipeline.runner.bench.EmbeddedBrokerFloor \
    "${RABBITMQ_URL:-amqp://guest:guest@127.0.0.1:5672}" "${SECONDS_EACH:-10}" 2>/dev/null
  echo
} | tee -a "$OUT"
