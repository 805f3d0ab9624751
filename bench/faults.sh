#!/usr/bin/env bash
# The fault suite (issue 12): runs the real runner on PostgreSQL (database runner_faults,
# recreated) and RabbitMQ on this machine with no-op nodes on the real protocol, injects one fault
# at a time mid-run and checks from the database and the API that every pipeline finished exactly
# once, each step recorded once, none lost, none stuck. Prints one table and appends it to
# bench/results/<date>-faults.md.
#
#   a  kill -9 of the runner, restarted at once
#   b  RabbitMQ stopped for FAULTS_OUTAGE_SECONDS (rabbitmqctl stop_app), then started
#   c  PostgreSQL stopped for FAULTS_OUTAGE_SECONDS (pg_ctlcluster <version> main stop), then started
#   d  the batch's node killed mid-step (connection dropped) and back 5 s later
#   e  a node that never answers: runs whose second step goes to it with "stepTimeoutSeconds": 5
#   f  two runner instances (ports FAULTS_PORT, FAULTS_SECOND_PORT) sharing the database, broker,
#      signing keys and one stand-alone File Service; the second one killed mid-batch
#
# It STOPS SHARED SERVICES: run it only as root under the shared lock, never inside mvn verify:
#   flock /tmp/runner-it.lock bench/faults.sh
# Whatever happens, the services it stopped are started again on exit.
#
# Settings (environment):
#   FAULTS_ONLY (all)               comma-separated faults, e.g. a,b
#   FAULTS_BATCH (2000)             inputs of the batch
#   FAULTS_BATCH_PACE_MS (10)       time the batch's node spends per step (2,000 × 10 ms ≈ 20 s)
#   FAULTS_INJECT_AFTER (5)         seconds from the batch accepted to the fault
#   FAULTS_OUTAGE_SECONDS (20)      how long RabbitMQ / PostgreSQL stay stopped
#   FAULTS_AFTER_LIFT (10)          seconds the stream goes on after recovery
#   FAULTS_PORT (8080), FAULTS_SECOND_PORT (8081), FAULTS_FILES_PORT (9390)
#   FAULTS_OUT (bench/results/<date>-faults.md)
#   FAULTS_BUILD (1)                0 = use the jar, classes and target/bench.classpath already built
set -euo pipefail
cd "$(dirname "$0")/.."

DB=runner_faults
OUT=${FAULTS_OUT:-bench/results/$(date +%F)-faults.md}
CLASSPATH_FILE=target/bench.classpath
DATA=target/faults-data
PIDS=target/faults.pids
PG_VERSION=$(ls /etc/postgresql | sort -n | tail -1)

if [ "${FAULTS_BUILD:-1}" != 0 ]; then
  mvn -q -B -Pbench package dependency:build-classpath -DskipTests \
    -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=test
fi
[ -f "$CLASSPATH_FILE" ] || { echo "no $CLASSPATH_FILE: run once with FAULTS_BUILD=1"; exit 1; }

restore() {
  # Started again whatever happened (a no-op when they run).
  rabbitmqctl start_app >/dev/null 2>&1 || echo "WARNING: rabbitmqctl start_app failed"
  if ! pg_ctlcluster "$PG_VERSION" main status >/dev/null 2>&1; then
    pg_ctlcluster "$PG_VERSION" main start || echo "WARNING: PostgreSQL did not start"
  fi
  # Whatever the suite started and did not end (it records every pid it starts).
  if [ -f "$PIDS" ]; then
    while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$PIDS"
    rm -f "$PIDS"
  fi
}
trap restore EXIT INT TERM

rm -rf "$DATA" "$PIDS"
mkdir -p "$DATA/jwt"
# One signing key pair for every instance (PKCS#8 private, X.509 public), as several instances
# behind a load balancer need: a token issued by one is accepted by all.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$DATA/jwt/private.pem" 2>/dev/null
openssl pkey -in "$DATA/jwt/private.pem" -pubout -out "$DATA/jwt/public.pem"

psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"

# shellcheck disable=SC2086
java -Xmx1g ${DRIVER_JAVA_OPTS:-} -cp "target/test-classes:target/classes:$(cat "$CLASSPATH_FILE")" \
  -Dfaults.db.url="jdbc:postgresql://127.0.0.1:5432/$DB" -Dfaults.data.dir="$DATA" \
  -Dfaults.jwt.private="$PWD/$DATA/jwt/private.pem" -Dfaults.jwt.public="$PWD/$DATA/jwt/public.pem" \
  -Dfaults.only="${FAULTS_ONLY:-}" -Dfaults.batch="${FAULTS_BATCH:-2000}" \
  -Dfaults.batch.pace.ms="${FAULTS_BATCH_PACE_MS:-10}" -Dfaults.inject.after="${FAULTS_INJECT_AFTER:-5}" \
  -Dfaults.outage="${FAULTS_OUTAGE_SECONDS:-20}" -Dfaults.after.lift="${FAULTS_AFTER_LIFT:-10}" \
  -Dfaults.port="${FAULTS_PORT:-8080}" -Dfaults.second.port="${FAULTS_SECOND_PORT:-8081}" \
  -Dfaults.files.port="${FAULTS_FILES_PORT:-9390}" \
  -Dfaults.pg.stop="pg_ctlcluster $PG_VERSION main stop" -Dfaults.pg.start="pg_ctlcluster $PG_VERSION main start" \
  -Dfaults.pids="$PIDS" -Dfaults.out="$OUT" \
  org.aipipeline.runner.bench.FaultSuite
echo "written to $OUT"
