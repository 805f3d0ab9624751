#!/usr/bin/env bash
# Deploys target/runner.war to WildFly (standalone.xml plus MicroProfile, see wildfly/configure.cli) and runs the smoke suite against
# it, on PostgreSQL and RabbitMQ at 127.0.0.1: `mvn -B package` first, then server-config/wildfly.sh.
#
# What it does, each time from scratch:
#  1. unpacks org.wildfly:wildfly-dist (from Maven Central) into target/servers, once;
#  2. applies server-config/wildfly/configure.cli to its standalone.xml (a fresh copy each run);
#  3. recreates database runner_test_wildfly and vhost it-wildfly (SMOKE_DB, SMOKE_VHOST override);
#  4. starts WildFly with the runner's settings in its environment and ports moved by an offset
#     (WILDFLY_PORT_OFFSET, default 100: HTTP 8180, management 10090), the WAR in its deployment
#     folder (jboss-web.xml puts it at the root context);
#  5. waits for /health/ready (on the management port, where WildFly serves MicroProfile Health),
#     runs the smoke suite, stops the server and drops the database and vhost.
# Holds /tmp/runner-it.lock while the server runs, as the integration tests do.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
NAME=wildfly
WILDFLY_VERSION=${WILDFLY_VERSION:-39.0.1.Final}
OFFSET=${WILDFLY_PORT_OFFSET:-100}
HTTP_PORT=$((8080 + OFFSET))
MANAGEMENT_PORT=$((9990 + OFFSET))
source "$REPO/server-config/lib.sh"

[ -f "$WAR" ] || { log "no $WAR: run mvn -B package first"; exit 1; }
unpack_distribution "org.wildfly:wildfly-dist:$WILDFLY_VERSION:zip" "wildfly-$WILDFLY_VERSION"
HOME_DIR=$SERVERS/wildfly-$WILDFLY_VERSION
BASE=$SERVERS/wildfly-base
PID=

stop_server() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then
        log "stopping WildFly"
        timeout 30 "$HOME_DIR/bin/jboss-cli.sh" --connect --controller="127.0.0.1:$MANAGEMENT_PORT" \
            --command=shutdown >/dev/null 2>&1 || kill -9 "$PID"
        wait "$PID" 2>/dev/null || true
    fi
    drop_database_and_vhost
}

# The script is idempotent, so it configures the unpacked distribution itself; each run then starts
# from a fresh copy of its standalone folder (configuration, deployments, data, log).
log "configuring WildFly (server-config/wildfly/configure.cli)"
JBOSS_HOME=$HOME_DIR "$HOME_DIR/bin/jboss-cli.sh" --file="$REPO/server-config/wildfly/configure.cli" >/dev/null
rm -rf "$BASE"
cp -r "$HOME_DIR/standalone" "$BASE"
cp "$WAR" "$BASE/deployments/runner.war"

exec 9>/tmp/runner-it.lock
log "waiting for /tmp/runner-it.lock"
flock 9
require_free_port "$HTTP_PORT" "WildFly HTTP"
require_free_port "$MANAGEMENT_PORT" "WildFly management"
prepare_database_and_vhost
export_runner_environment
trap stop_server EXIT

log "starting WildFly $WILDFLY_VERSION (HTTP $HTTP_PORT, management $MANAGEMENT_PORT; log: ${BASE#"$REPO"/}/log/server.log)"
JBOSS_HOME=$HOME_DIR LAUNCH_JBOSS_IN_BACKGROUND=1 "$HOME_DIR/bin/standalone.sh" \
    -c standalone.xml -Djboss.server.base.dir="$BASE" \
    -Djboss.socket.binding.port-offset="$OFFSET" -Djboss.bind.address=127.0.0.1 \
    -Djboss.bind.address.management=127.0.0.1 >/dev/null 2>&1 &
PID=$!

ready="http://127.0.0.1:$MANAGEMENT_PORT/health/ready"
if ! wait_until_ready "$ready" 180 "$PID" "$BASE/deployments/runner.war.failed" "$BASE/log/server.log"; then
    [ -f "$BASE/deployments/runner.war.failed" ] && cat "$BASE/deployments/runner.war.failed"
    grep -E 'ERROR|WFLYCTL0013' "$BASE/log/server.log" | head -20
    kill -9 "$PID" 2>/dev/null || true
    exit 1
fi
run_smoke_suite "http://127.0.0.1:$HTTP_PORT/" "$ready"
