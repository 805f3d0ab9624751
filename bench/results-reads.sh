#!/usr/bin/env bash
# Results reads at 1M rows: p50/p95 of GET /PipelineResults?pageSize=20 (and deeper pages) and of
# GET /PipelineResults/Batch/{id}?pageSize=20 for one user whose one batch holds 1,000,000 results
# (one step result each), as LoadDriver#resultsPages seeds them plus the batch's count slots.
#
#   bench/results-reads.sh register <runner jar>   boot once on a fresh runner_reads_bench, register the user
#   bench/results-reads.sh seed                    1M results + steps + count slots, VACUUM ANALYZE (no runner)
#   bench/results-reads.sh measure <runner jar> <label>   boot, warm up, measure, print the figures
#
# The database is kept between runs so that a before/after pair reads the very same rows; a
# runner of a newer build migrates it forward on boot. Phases that run a runner hold the shared
# /tmp/runner-it.lock (fixed ports) only for as long as that runner lives.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=runner_reads_bench
PORT=8080
BASE=http://localhost:$PORT/api/v1
WORK=target/results-reads
USERNAME=reads-bench
PASSWORD=reads-bench-password-1
CREDENTIALS="{\"username\":\"$USERNAME\",\"password\":\"$PASSWORD\"}"
PSQL=(psql -h 127.0.0.1 -U postgres -d "$DB" -qAtX -v ON_ERROR_STOP=1)
export PGPASSWORD=postgres
mkdir -p "$WORK"

phase=${1:?register, seed or measure}
if [[ $phase != seed && -z ${HOLDING_RUNNER_LOCK:-} ]]; then
  HOLDING_RUNNER_LOCK=1 exec flock /tmp/runner-it.lock "$0" "$@"
fi

start_runner() {
  DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB DB_USER=postgres DB_PASSWORD=postgres \
  RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672 DATA_DIR=$WORK/data FILES_SERVICE_PORT=0 \
    java -Xmx512m -XX:+UseG1GC -jar "$1" --nocluster --disablephonehome --port "$PORT" \
    --postbootcommandfile payara-config/post-boot-commands.txt > "$WORK/runner.log" 2>&1 &
  RUNNER_PID=$!
  trap 'kill $RUNNER_PID 2>/dev/null || true; wait $RUNNER_PID 2>/dev/null || true' EXIT
  for _ in $(seq 1 180); do
    curl -sf "http://localhost:$PORT/health/ready" >/dev/null && return
    sleep 1
  done
  echo "runner did not become ready; see $WORK/runner.log" >&2
  exit 1
}

token() {
  curl -sf -X POST "$BASE/Auth/Login" -H 'Content-Type: application/json' -d "$CREDENTIALS" \
    | sed -E 's/.*"accessToken":"([^"]+)".*/\1/'
}

# p50 and p95 in ms of N GETs of one URL over one keep-alive connection (curl's own timing).
percentiles() {
  local url=$1 n=$2 args=()
  for _ in $(seq 1 "$n"); do args+=(-o /dev/null "$url"); done
  curl -s -H "Authorization: Bearer $TOKEN" -w '%{http_code} %{time_total}\n' "${args[@]}" \
    | awk '$1 != 200 { errors++ } { print $2 * 1000 } END { if (errors) print "errors: " errors > "/dev/stderr" }' \
    | sort -n | awk '{ v[NR] = $1 } END { printf "p50 %.1f ms, p95 %.1f ms (n=%d)\n", v[int(NR * 0.5)], v[int(NR * 0.95)], NR }'
}

case $phase in
register)
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $DB" -c "create database $DB"
  start_runner "$2"
  curl -sf -X POST "$BASE/Auth/Register" -H 'Content-Type: application/json' -d "$CREDENTIALS" >/dev/null
  echo "registered $USERNAME in $DB"
  ;;
seed)
  USER_ID=$("${PSQL[@]}" -c "select id from users where username = '$USERNAME'")
  BATCH_ID=$(cat /proc/sys/kernel/random/uuid)
  "${PSQL[@]}" <<SQL
insert into pipeline_batches (id, user_id, total_pipeline_count, created_at, finished_at)
values ('$BATCH_ID', '$USER_ID', 1000000, now(), now());
insert into pipeline_results (id, pipeline_id, user_id, batch_id, status, initial_input, step_count,
                              created_at, updated_at, finished_at)
select gen_random_uuid(), gen_random_uuid(), '$USER_ID', '$BATCH_ID',
       case when g % 10 = 0 then 'Failed' else 'Succeeded' end,
       '{"type":"ApString","value":"seed"}', 1, now() - g * interval '1 millisecond', now(), now()
from generate_series(1, 1000000) g;
insert into step_results (pipeline_id, step_order, id, node_id, node_procedure_id, finished_at, was_successful, result)
select pipeline_id, 1, gen_random_uuid(), 'word-processor', 'repeat-string', finished_at, status = 'Succeeded',
       case when status = 'Succeeded' then '{"type":"ApString","value":"seedseed"}' end
from pipeline_results where batch_id = '$BATCH_ID';
-- The write side's 8 count slots of the batch, holding what the seeded results say.
insert into pipeline_batch_counts (batch_id, slot, succeeded, failed)
select '$BATCH_ID', s, case when s = 0 then 900000 else 0 end, case when s = 0 then 100000 else 0 end
from generate_series(0, 7) s;
vacuum analyze pipeline_results;
vacuum analyze step_results;
vacuum analyze pipeline_batch_counts;
SQL
  echo "$BATCH_ID" > "$WORK/batch-id"
  echo "seeded user $USER_ID, batch $BATCH_ID"
  ;;
measure)
  BATCH_ID=$(cat "$WORK/batch-id")
  start_runner "$2"
  TOKEN=$(token)
  # Warm up first: the JIT of a freshly booted server on 2 cores takes a while (WARMUP requests each).
  percentiles "$BASE/PipelineResults?pageSize=20" "${WARMUP:-300}" >/dev/null
  percentiles "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=20" "${WARMUP:-300}" >/dev/null
  echo "## ${3:-run} ($(date -u +%FT%TZ))"
  echo "- GET /PipelineResults?pageSize=20: $(percentiles "$BASE/PipelineResults?pageSize=20" "${N:-300}")"
  echo "- GET /PipelineResults/Batch/{id}?pageSize=20: $(percentiles "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=20" "${N:-300}")"
  echo "- GET /PipelineResults?pageSize=20&pageNumber=500: $(percentiles "$BASE/PipelineResults?pageSize=20&pageNumber=500" 50)"
  echo "- GET /PipelineResults?pageSize=20&pageNumber=25000: $(percentiles "$BASE/PipelineResults?pageSize=20&pageNumber=25000" 20)"
  echo "- GET /PipelineResults/Batch/{id}?pageSize=20&pageNumber=25000: $(percentiles "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=20&pageNumber=25000" 20)"
  if [[ -n ${CURSOR_CHECK:-} ]]; then
    # Deep keyset pages: a cursor taken half-way down (page 25,000 reached once by offset).
    after=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/PipelineResults?pageSize=20&pageNumber=25000" \
      | sed -E 's/.*"nextCursor":"([^"]+)".*/\1/')
    echo "- GET /PipelineResults?pageSize=20&after={cursor of page 25,000}: $(percentiles "$BASE/PipelineResults?pageSize=20&after=$after" 500)"
    after=$(curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=20&pageNumber=25000" \
      | sed -E 's/.*"nextCursor":"([^"]+)".*/\1/')
    echo "- GET /PipelineResults/Batch/{id}?pageSize=20&after={cursor of page 25,000}: $(percentiles "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=20&after=$after" 500)"
  fi
  curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/PipelineResults?pageSize=1" \
    | sed -E 's/.*"pagination":(\{[^}]*\}).*/- user pagination: \1/'; echo
  curl -sf -H "Authorization: Bearer $TOKEN" "$BASE/PipelineResults/Batch/$BATCH_ID?pageSize=1" \
    | sed -E 's/^\{"batch":\{[^,]*,[^,]*,[^,]*,("totalPipelineCount":[0-9]+,"successfullyCompletedPipelineCount":[0-9]+,"failedPipelineCount":[0-9]+).*"pagination":(\{[^}]*\}).*/- batch: \1, pagination: \2/'
  ;;
*)
  echo "unknown phase $phase" >&2
  exit 2
  ;;
esac
