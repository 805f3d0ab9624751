#!/usr/bin/env bash
# Deploys target/runner.war to Payara Server 6 and runs the smoke suite against it, on PostgreSQL
# and RabbitMQ at 127.0.0.1: `mvn -B package` first, then server-config/payara-server.sh.
#
# What it does, each time from scratch:
#  1. unpacks fish.payara.distributions:payara (from Maven Central) into target/servers, once;
#  2. creates a domain "runner" whose ports start at PAYARA_PORT_BASE (default 28000: admin 28048,
#     HTTP 28080), so that it clashes neither with a default domain (4848, 8080) nor with a runner;
#  3. recreates database runner_test_payara and vhost it-payara
#     (SMOKE_DB, SMOKE_VHOST override);
#  4. starts the domain with the runner's settings in its environment, applies
#     server-config/payara-server/settings.asadmin (what payara-config/post-boot-commands.txt sets on
#     Payara Micro: HTTP workers, no server cap on bodies; Payara Server names its listener
#     http-listener-1), and
#     deploys the WAR at the root context (asadmin deploy --contextroot /, else the API would move
#     to /runner/api/v1);
#  5. waits for /health/ready, runs the smoke suite, stops the domain and drops the database and vhost.
# Holds /tmp/runner-it.lock while the server runs, as the integration tests do.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
NAME=payara
PAYARA_VERSION=${PAYARA_VERSION:-6.2025.10}
PORT_BASE=${PAYARA_PORT_BASE:-28000}
ADMIN_PORT=$((PORT_BASE + 48))
HTTP_PORT=$((PORT_BASE + 80))
source "$REPO/server-config/lib.sh"

[ -f "$WAR" ] || { log "no $WAR: run mvn -B package first"; exit 1; }
unpack_distribution "fish.payara.distributions:payara:$PAYARA_VERSION:zip" payara6
ASADMIN=$SERVERS/payara6/bin/asadmin
DOMAINS=$SERVERS/payara-domains
admin() { "$ASADMIN" --port "$ADMIN_PORT" "$@"; }
STARTED=

stop_server() {
    if [ -n "$STARTED" ]; then
        log "stopping Payara Server"
        "$ASADMIN" stop-domain --domaindir "$DOMAINS" runner >/dev/null || true
    fi
    drop_database_and_vhost
}

exec 9>/tmp/runner-it.lock
log "waiting for /tmp/runner-it.lock"
flock 9
require_free_port "$ADMIN_PORT" "Payara admin"
require_free_port "$HTTP_PORT" "Payara HTTP"
rm -rf "$DOMAINS"
log "creating domain runner (ports from $PORT_BASE)"
"$ASADMIN" create-domain --nopassword --domaindir "$DOMAINS" --portbase "$PORT_BASE" runner >/dev/null
prepare_database_and_vhost
export_runner_environment
trap stop_server EXIT

log "starting Payara Server $PAYARA_VERSION (admin $ADMIN_PORT, HTTP $HTTP_PORT; log: ${DOMAINS#"$REPO"/}/runner/logs/server.log)"
"$ASADMIN" start-domain --domaindir "$DOMAINS" runner >/dev/null
STARTED=yes
admin multimode --file "$REPO/server-config/payara-server/settings.asadmin" >/dev/null
log "deploying ${WAR#"$REPO"/} at /"
if ! admin deploy --contextroot / --name runner "$WAR" >/dev/null; then
    grep -E 'SEVERE|Exception' "$DOMAINS/runner/logs/server.log" | head -20
    exit 1
fi
wait_until_ready "http://127.0.0.1:$HTTP_PORT/health/ready" 120
run_smoke_suite "http://127.0.0.1:$HTTP_PORT/" "http://127.0.0.1:$HTTP_PORT/health/ready"
