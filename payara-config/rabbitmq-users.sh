#!/usr/bin/env bash
# Least-privilege RabbitMQ users for the Orchestration Runner and its nodes (README, "Messaging
# and node configuration", has the permission table and what it cannot prevent).
#
#   payara-config/rabbitmq-users.sh [--vhost VHOST] [--runner USER[:PASSWORD]]
#       [--node NODE_ID[:USER[:PASSWORD]]]... [--nodes-declare-exchanges]
#
# Environment, used when the option is not given:
#   RABBITMQ_VHOST   the virtual host (default /); created when missing
#   RUNNER_USER      the runner's user (default orchestration-runner); RUNNER_PASSWORD its password
#   NODES            space-separated NODE_ID[:USER[:PASSWORD]] entries (USER defaults to NODE_ID)
#   RABBITMQCTL      the rabbitmqctl to run (default rabbitmqctl; it must reach the broker's node)
# Prefer the environment for passwords: command-line arguments are visible to every local user.
#
# A password left out is generated (24 random bytes, base64url) for a user that does not exist
# yet and printed once; an existing user keeps the password it has. Every run sets each user's
# permissions in the vhost to exactly the values below, so running it again (say, with one more
# node) is safe. Users get no tags (no management access).
#
# What each user may do (RabbitMQ checks configure/write/read regexes on exchange and queue names):
#   runner  configure .*  write .*   (it declares the topology and every node's queue, whose names
#           are the node ids, and binds them), read only its own queues and the exchanges it binds
#           from; it never reads a node's queue.
#   node N  configure its queues N and N.cancellations (declare, delete), write them (bind) and the
#           four exchanges it publishes to, read them, run-pipeline and pipeline-cancellations; topic permissions on run-pipeline let it bind N
#           only with run-pipeline.N and publish only run-pipeline.* keys.
set -euo pipefail

RABBITMQCTL=${RABBITMQCTL:-rabbitmqctl}
vhost=${RABBITMQ_VHOST:-/}
runner_user=${RUNNER_USER:-orchestration-runner}
runner_password=${RUNNER_PASSWORD:-}
read -r -a node_entries <<<"${NODES:-}"
nodes_declare_exchanges=false

# The protocol's names (shared/spec/node-protocol.md) and the runner's own (messaging.Topology).
NODE_EXCHANGES=(run-pipeline completed-pipeline-steps failed-pipelines node-advertisements)
RUNNER_READS=(node-advertisements node-advertisements-queue run-pipeline completed-pipeline-steps
    completed-pipeline-steps-queue failed-pipelines failed-pipelines-queue runner-dead-letters
    runner-pipeline-finished)
RESERVED=("${NODE_EXCHANGES[@]}" "${RUNNER_READS[@]}" runner-dead-letters-queue pipeline-cancellations)

die() { echo "rabbitmq-users.sh: $*" >&2; exit 2; }

usage() { sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; }

while (($#)); do
    case $1 in
        --vhost) (($# > 1)) || die "--vhost needs a value"; vhost=$2; shift 2 ;;
        --runner) (($# > 1)) || die "--runner needs USER[:PASSWORD]"
            IFS=: read -r runner_user runner_password <<<"$2"; shift 2 ;;
        --node) (($# > 1)) || die "--node needs NODE_ID[:USER[:PASSWORD]]"; node_entries+=("$2"); shift 2 ;;
        --nodes-declare-exchanges) nodes_declare_exchanges=true; shift ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done

command -v "$RABBITMQCTL" >/dev/null || die "'$RABBITMQCTL' not found: run this where rabbitmqctl can reach the broker (or set RABBITMQCTL)"
[[ -n $runner_user ]] || die "the runner's user name is empty"

# A name as a regex that matches exactly that name.
literal() { printf '%s' "$1" | sed 's/[][\\.^$*+?(){}|]/\\&/g'; }

# a|b|c of the given names, each matched literally.
names() {
    local alternatives="" name
    for name in "$@"; do alternatives+="${alternatives:+|}$(literal "$name")"; done
    printf '%s' "$alternatives"
}

# A regex matching exactly the given names.
exactly() { printf '^(%s)$' "$(names "$@")"; }

contains() {
    local wanted=$1 item
    shift
    for item in "$@"; do [[ $item == "$wanted" ]] && return 0; done
    return 1
}

# Creates the user, or sets a given password on an existing one; passwords go through stdin,
# never through rabbitmqctl's command line.
ensure_user() {
    local user=$1 password=$2
    if "$RABBITMQCTL" -s list_users | cut -f1 | grep -qxF -- "$user"; then
        if [[ -n $password ]]; then
            printf '%s' "$password" | "$RABBITMQCTL" -q change_password -- "$user" >/dev/null
            echo "user $user: password changed"
        else
            echo "user $user: exists, password kept"
        fi
    else
        if [[ -z $password ]]; then
            password=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
            echo "user $user: created with the generated password $password"
        else
            echo "user $user: created"
        fi
        printf '%s' "$password" | "$RABBITMQCTL" -q add_user -- "$user" >/dev/null
    fi
}

permissions() {
    local user=$1 configure=$2 write=$3 read=$4
    "$RABBITMQCTL" -q set_permissions -p "$vhost" -- "$user" "$configure" "$write" "$read" >/dev/null
    printf '  vhost %s: configure %s  write %s  read %s\n' "$vhost" "$configure" "$write" "$read"
}

# Parse and check every node before changing anything.
declare -a node_ids=() node_users=() node_passwords=()
for entry in "${node_entries[@]}"; do
    IFS=: read -r id user password <<<"$entry"
    user=${user:-$id}
    [[ -n $id ]] || die "empty node id in '$entry'"
    [[ $id != amq.* ]] || die "node id '$id': names starting with amq. are reserved by RabbitMQ"
    ! contains "$id" "${RESERVED[@]}" || die "node id '$id' is one of the protocol's exchanges or queues"
    ! contains "$id" "${node_ids[@]}" || die "node id '$id' given twice"
    [[ $user != "$runner_user" ]] || die "node $id must not share the runner's user $runner_user"
    ! contains "$user" "${node_users[@]}" || die "user $user given for two nodes: one user per node"
    node_ids+=("$id"); node_users+=("$user"); node_passwords+=("$password")
done

if ! "$RABBITMQCTL" -s list_vhosts name | grep -qxF -- "$vhost"; then
    "$RABBITMQCTL" -q add_vhost -- "$vhost" >/dev/null
    echo "vhost $vhost: created"
fi

ensure_user "$runner_user" "$runner_password"
# amq.gen-*: the server-named exclusive queue each instance binds to runner-pipeline-finished.
permissions "$runner_user" '.*' '.*' "^($(names "${RUNNER_READS[@]}")|amq\\.gen-.*)\$"

for i in "${!node_ids[@]}"; do
    id=${node_ids[$i]}; user=${node_users[$i]}
    ensure_user "$user" "${node_passwords[$i]}"
    # N.cancellations: the queue a node may bind to the pipeline-cancellations fanout (CancelPipeline).
    if $nodes_declare_exchanges; then
        configure=$(exactly "$id" "$id.cancellations" "${NODE_EXCHANGES[@]}")
    else
        configure=$(exactly "$id" "$id.cancellations")
    fi
    permissions "$user" "$configure" "$(exactly "$id" "$id.cancellations" "${NODE_EXCHANGES[@]}")" \
        "$(exactly "$id" "$id.cancellations" run-pipeline pipeline-cancellations)"
    topic_write='^run-pipeline\..+$'
    topic_read="^run-pipeline\\.$(literal "$id")\$"
    "$RABBITMQCTL" -q set_topic_permissions -p "$vhost" -- "$user" run-pipeline "$topic_write" "$topic_read" >/dev/null
    printf '  vhost %s, topic exchange run-pipeline: publish keys %s  bind keys %s\n' "$vhost" "$topic_write" "$topic_read"
done

if "$RABBITMQCTL" -s list_permissions -p "$vhost" | cut -f1 | grep -qxF guest; then
    echo "note: guest still has permissions in vhost $vhost (from loopback only, by RabbitMQ's default);"
    echo "      '$RABBITMQCTL clear_permissions -p $vhost guest' removes them"
fi
