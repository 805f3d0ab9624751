#!/usr/bin/env bash
# Runs the whole benchmark and prints one table: builds the runner, starts it on PostgreSQL
# (database runner_bench, recreated) and RabbitMQ on this machine, drives it with no-op nodes and
# many HTTP clients, and appends the table to bench/results/<date>.md.
#
# Run it under the shared lock, since it starts a runner on 8080/9090 and uses the shared queues:
#   flock /tmp/runner-it.lock bench/run.sh
#
# Settings (environment):
#   BENCH_SECONDS (30)          seconds per scenario; floor, awaited levels and adverts take a third (≥ 5 s)
#   BENCH_WARMUP_SECONDS (60)   mixed background + awaited load before the measured scenarios; 0 = none
#   BENCH_ONLY (all)            comma-separated scenario numbers, e.g. 1,2 (floor and start-up always run)
#                               1 background one-step · 2 awaited c=1/16/64 · 3 batch of 10,000 ·
#                               4 background five-step · 5 unchanged adverts · 6 results pages at 1M rows
#                               7 1,000 idle live-event streams (threads, heap, RSS, idle CPU of the runner)
#   BENCH_NODES (4)             no-op nodes, each on its own AMQP connection
#   BENCH_PRODUCERS (4)         producer threads, each with its own HTTP client
#   BENCH_IN_FLIGHT (256)       requests in flight in throughput scenarios, shared by the producers
#   BENCH_PORT (8080)           the runner's HTTP port
#   BENCH_VHOST (bench)         RabbitMQ virtual host of the runner, nodes and floor (created if missing),
#                               so that other runners on the machine cannot consume the benchmark's messages
#   BENCH_OUT (bench/results/<date>.md)  file the table is appended to
#   BENCH_BUILD (1)             0 = use the jar and classes already in target/ (build them with -Pbench before taking the lock)
#   RUNNER_JAVA_OPTS ()         extra JVM options for the runner, after the defaults (profiler, CDS, heap…)
#   DRIVER_JAVA_OPTS ()         extra JVM options for the driver
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${BENCH_PORT:-8080}
DB=runner_bench
OUT=${BENCH_OUT:-bench/results/$(date +%F).md}
CLASSPATH_FILE=target/bench.classpath

if [ "${BENCH_BUILD:-1}" != 0 ]; then
  mvn -q -B -Pbench package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
[ -f "$CLASSPATH_FILE" ] || { echo "no $CLASSPATH_FILE: run once with BENCH_BUILD=1"; exit 1; }

psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"

VHOST=${BENCH_VHOST:-bench}
AMQP_URL=amqp://guest:guest@127.0.0.1:5672/$VHOST
if command -v rabbitmqctl >/dev/null; then
  rabbitmqctl -q add_vhost "$VHOST" 2>/dev/null || true
  rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'
fi

# Start-up is measured from here (just before the JVM starts) to the first ready answer.
START_NS=$(date +%s%N)
# shellcheck disable=SC2086 # RUNNER_JAVA_OPTS is a list of options
DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB DB_USER=postgres DB_PASSWORD=postgres \
RABBITMQ_URL=$AMQP_URL DATA_DIR=target/bench-data FILES_SERVICE_PORT=0 \
  java -Xmx512m -XX:+UseG1GC ${RUNNER_JAVA_OPTS:-} -jar target/runner-microbundle.jar --nocluster --disablephonehome \
  --port "$PORT" --postbootcommandfile payara-config/post-boot-commands.txt > target/bench-runner.log 2>&1 &
RUNNER_PID=$!
trap 'kill $RUNNER_PID 2>/dev/null || true' EXIT

READY_MS=-1
for _ in $(seq 1 1200); do
  if curl -sf --max-time 1 "http://localhost:$PORT/health/ready" >/dev/null; then
    READY_MS=$(( ($(date +%s%N) - START_NS) / 1000000 ))
    break
  fi
  kill -0 "$RUNNER_PID" 2>/dev/null || { echo "runner exited; see target/bench-runner.log"; exit 1; }
  sleep 0.1
done
[ "$READY_MS" -ge 0 ] || { echo "runner did not become ready in 120 s; see target/bench-runner.log"; exit 1; }
echo "runner ready after $READY_MS ms (pid $RUNNER_PID)"

# shellcheck disable=SC2086
java -Xmx1g ${DRIVER_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  -Dbench.runner="http://localhost:$PORT" -Dbench.runner.pid="$RUNNER_PID" -Dbench.startup.ms="$READY_MS" \
  -Dbench.amqp="$AMQP_URL" -Dbench.db.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
  -Dbench.seconds="${BENCH_SECONDS:-30}" -Dbench.warmup.seconds="${BENCH_WARMUP_SECONDS:-60}" \
  -Dbench.only="${BENCH_ONLY:-}" -Dbench.nodes="${BENCH_NODES:-4}" -Dbench.producers="${BENCH_PRODUCERS:-4}" \
  -Dbench.inflight="${BENCH_IN_FLIGHT:-256}" -Dbench.out="$OUT" \
  org.aipipeline.runner.bench.LoadDriver
echo "written to $OUT"
