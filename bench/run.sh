#!/usr/bin/env bash
# Runs the whole benchmark and prints one table: builds the runner, starts it on PostgreSQL
# (database runner_bench, recreated) and RabbitMQ on this machine, drives it with no-op nodes and
# many HTTP clients, and appends the table to bench/results/<date>.md.
# Settings (environment): BENCH_SECONDS (30 per scenario), BENCH_NODES (4), BENCH_PORT (8080).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_SCENARIO=${BENCH_SECONDS:-30}
PORT=${BENCH_PORT:-8080}
DB=runner_bench
OUT=bench/results/$(date +%F).md

psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"
mvn -q -B package -DskipTests

DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB DB_USER=postgres DB_PASSWORD=postgres \
RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672 DATA_DIR=target/bench-data FILES_SERVICE_PORT=0 \
  java -Xmx512m -XX:+UseG1GC -jar target/runner-microbundle.jar --nocluster --disablephonehome --port "$PORT" \
  --postbootcommandfile payara-config/post-boot-commands.txt > target/bench-runner.log 2>&1 &
RUNNER_PID=$!
trap 'kill $RUNNER_PID 2>/dev/null || true' EXIT

for _ in $(seq 1 120); do
  curl -sf "http://localhost:$PORT/health/ready" >/dev/null && break
  sleep 1
done
curl -sf "http://localhost:$PORT/health/ready" >/dev/null || { echo "runner did not become ready; see target/bench-runner.log"; exit 1; }

mvn -q -B test-compile org.codehaus.mojo:exec-maven-plugin:3.5.0:java \
  -Dexec.classpathScope=test -Dexec.mainClass=org.aipipeline.runner.bench.LoadDriver \
  -Dbench.runner="http://localhost:$PORT" -Dbench.runner.pid="$RUNNER_PID" \
  -Dbench.db.url="jdbc:postgresql://127.0.0.1:5432/$DB" -Dbench.seconds="$SECONDS_PER_SCENARIO" \
  -Dbench.nodes="${BENCH_NODES:-4}" -Dbench.out="$OUT"
echo "written to $OUT"
