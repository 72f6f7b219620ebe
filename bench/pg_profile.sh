#!/usr/bin/env bash
# Where a queue-server on PostgreSQL spends its CPU: perf samples of the process during
# 20 s of W1's producer, then 20 s of its consumer (4 connections, one message a call),
# reported by shared object and by symbol.
#
#   scripts/with-postgres bench/pg_profile.sh [BUILD_DIR]      (default: build)
#
# Uses QUEUE_TEST_POSTGRES_URL (set by scripts/with-postgres) to create a database of its
# own. cpu-clock, not cycles: this VM has no hardware counters. Run it on an idle machine;
# the numbers are shares of the process's own time, so other load shifts them less than
# it shifts throughput, but it still does.
set -euo pipefail
build=${1:-build}
: "${QUEUE_TEST_POSTGRES_URL:?run under scripts/with-postgres}"
out=$(mktemp -d /tmp/queue-pg-profile-XXXXXX)
psql "$QUEUE_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS queue_profile" -c "CREATE DATABASE queue_profile" >/dev/null
url="${QUEUE_TEST_POSTGRES_URL%/*}/queue_profile"
port=${PROFILE_PORT:-27931}

env -u QUEUE_API_TOKENS -u QUEUE_DURABILITY HOST=127.0.0.1 PORT="$port" QUEUE_DATABASE_URL="$url" \
  "$build/bin/queue-server" >"$out/server.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/api/v1/queue/readyz" >/dev/null && break; sleep 0.2; done

for workload in produce consume; do
  perf record -F 499 -e cpu-clock -g -p "$server" -o "$out/$workload.data" -- sleep 20 >/dev/null 2>&1 &
  recorder=$!
  "$build/bench/queue-bench" --system queue --port "$port" --workload "$workload" --messages 100000 \
    --connections 4 --max-seconds 20 --label queue-pg --tag "$workload"
  wait "$recorder"
done

for workload in produce consume; do
  echo "== $workload: by shared object"
  perf report -i "$out/$workload.data" --stdio --no-children --sort dso -g none 2>/dev/null | grep '%' | head -8
  echo "== $workload: by symbol"
  perf report -i "$out/$workload.data" --stdio --no-children --sort symbol -g none 2>/dev/null | grep '%' | head -20 | cut -c1-110
done
echo "perf data in $out"
