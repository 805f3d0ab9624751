# Shared by wildfly.sh and payara-server.sh: fetch a server through Maven, give the runner its own
# database and RabbitMQ vhost, pass the settings as environment variables (as the pom's failsafe
# configuration does for Payara Micro), wait until it is ready, run the smoke suite.
# Sourced, not run. Expects REPO (the repository root) and NAME (used for the database and vhost).

log() { printf '[%s] %s\n' "$NAME" "$*"; }

SERVERS=$REPO/target/servers
WAR=${RUNNER_WAR:-$REPO/target/runner.war}
DB_HOST=${SMOKE_DB_HOST:-127.0.0.1}
DB_NAME=${SMOKE_DB:-runner_test_$NAME}
VHOST=${SMOKE_VHOST:-it-$NAME}
RABBITMQ_HOST=${SMOKE_RABBITMQ_HOST:-127.0.0.1}
MVN=(mvn -B -q)

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
    if port_open "$1"; then
        log "port $1 ($2) is taken: stop what listens there, or choose other ports (see the script's header)"
        exit 1
    fi
}

# Unpacks groupId:artifactId:version:zip from Maven Central (or ~/.m2) into target/servers, once.
unpack_distribution() {
    local coordinates=$1 directory=$2
    if [ ! -d "$SERVERS/$directory" ]; then
        log "unpacking $coordinates into target/servers"
        "${MVN[@]}" -f "$REPO/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:unpack \
            -Dartifact="$coordinates" -DoutputDirectory="$SERVERS" -Dmdep.overWriteReleases=true
    fi
}

# A fresh database and vhost for this server, so its runs start from the migrations alone.
prepare_database_and_vhost() {
    log "recreating database $DB_NAME and vhost $VHOST"
    psql -h "$DB_HOST" -U postgres -qc "drop database if exists $DB_NAME with (force)"
    psql -h "$DB_HOST" -U postgres -qc "create database $DB_NAME"
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
    rabbitmqctl -q add_vhost "$VHOST"
    rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'
}

drop_database_and_vhost() {
    psql -h "$DB_HOST" -U postgres -qc "drop database if exists $DB_NAME with (force)" || true
    rabbitmqctl -q delete_vhost "$VHOST" >/dev/null 2>&1 || true
}

# The runner's settings, read by MicroProfile Config from the server's environment.
export_runner_environment() {
    export DB_URL="jdbc:postgresql://$DB_HOST:5432/$DB_NAME"
    export DB_USER=${SMOKE_DB_USER:-postgres}
    export DB_PASSWORD=${SMOKE_DB_PASSWORD:-postgres}
    export RABBITMQ_URL="amqp://guest:guest@$RABBITMQ_HOST:5672/$VHOST"
    export DATA_DIR=$SERVERS/$NAME-data
    export AUTH_PASSWORD_ITERATIONS=20000
    # a random File Service port, so a runner started by hand on 9090 does not clash
    export FILES_SERVICE_PORT=0
    export FILES_SERVICE_TOKEN=smoke-file-service-token-$NAME
    rm -rf "$DATA_DIR"
}

# Polls until the URL answers 200 (at most $2 seconds); fails early when $3 (a pid) is gone, the
# file $4 exists (a failed deployment's marker) or the log $5 passes 256 MB (a deployment stuck in
# a loop once wrote gigabytes a minute and filled the disk).
wait_until_ready() {
    local url=$1 seconds=$2 pid=${3:-} failed=${4:-} server_log=${5:-}
    log "waiting for $url"
    for _ in $(seq 1 "$seconds"); do
        if [ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 200 ]; then
            return 0
        fi
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            log "the server exited before it was ready"; return 1
        fi
        if [ -n "$failed" ] && [ -f "$failed" ]; then
            log "the deployment failed"; return 1
        fi
        if [ -n "$server_log" ] && [ "$(stat -c %s "$server_log" 2>/dev/null || echo 0)" -gt 268435456 ]; then
            log "the server log passed 256 MB: stopping it"; return 1
        fi
        sleep 1
    done
    log "$url did not answer 200 within $seconds s"; return 1
}

# The smoke suite (src/test/java/org/aipipeline/runner/smoke/DeployedRunnerSmoke.java) against $1,
# readiness at $2, test nodes on the runner's vhost.
run_smoke_suite() {
    local output=$SERVERS/$NAME-smoke.log rc=0
    log "smoke suite against $1 (output: ${output#"$REPO"/})"
    mvn -B -f "$REPO/pom.xml" test -Dtest=DeployedRunnerSmoke -Dsurefire.failIfNoSpecifiedTests=false \
        -Dsmoke.url="$1" -Dsmoke.ready-url="$2" -Dit.rabbitmq.url="$RABBITMQ_URL" >"$output" 2>&1 || rc=$?
    grep -E 'Tests run:|FAIL|BUILD' "$output" | sed "s/^/[$NAME] /"
    return $rc
}
