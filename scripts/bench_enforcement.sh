#!/usr/bin/env bash
# Benchmark enforcement and indicator export on PostgreSQL and print the numbers:
#  1. bulk-load BENCH_ACCOUNTS accounts and a confirmed campaign of BENCH_CAMPAIGN accounts (once), give
#     each its enforcement, and time the indicator export of that campaign (target <= 10 s);
#  2. gunicorn with 2 workers: wrk, 2 threads and 2 connections, GET /api/v1/enforcement/{id} of random
#     accounts (target p99 <= 2 ms at the server);
#  3. ban accounts one at a time while a gateway follows the change feed and usage ingest runs, and
#     report how long each ban takes to appear in the feed (target p99 <= 1 s).
#
#   scripts/bench_enforcement.sh
#
# Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/riskscore_enforce_bench,
# created if missing), BENCH_ACCOUNTS (20000), BENCH_CAMPAIGN (10000), BENCH_DURATION (20s), BENCH_PORT (8023).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
PY=.venv/bin/python
PORT=${BENCH_PORT:-8023}
BASE=http://127.0.0.1:$PORT
DURATION=${BENCH_DURATION:-20s}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-20000}
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/riskscore_enforce_bench}
export DB_CONN_MAX_AGE=600 DEBUG=False PYTHONUNBUFFERED=1 CELERY_BROKER_URL=${CELERY_BROKER_URL:-memory://}
source scripts/bench_common.sh
ensure_wrk
ensure_bench_database riskscore_enforce_bench
$PY manage.py migrate --noinput -v 0
$PY manage.py install_baseline >/dev/null
echo "== population and indicator export (in-process)"
$PY manage.py bench_enforcement --prepare --accounts "$BENCH_ACCOUNTS" --campaign "${BENCH_CAMPAIGN:-10000}"

KEY=$($PY manage.py create_api_key --name bench-enforcement --scopes admin | tail -n1)
export BENCH_API_KEY=$KEY
.venv/bin/gunicorn riskscore.wsgi:application -w 2 -b "127.0.0.1:$PORT" --log-level warning &
GUNICORN=$!
BACKGROUND+=("$GUNICORN")
for _ in $(seq 1 120); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.5; done
wrk -t2 -c2 -d3s -s scripts/bench_enforcement.lua "$BASE" >/dev/null # warm-up: connections, caches

echo
echo "== wrk GET /healthz, for comparison: what the machine gives any request now (2 threads, 2 connections, $DURATION)"
wrk -t2 -c2 -d"$DURATION" --latency "$BASE/healthz" | grep -E "^ +(50|99)%|Requests/sec"
echo
echo "== wrk GET /api/v1/enforcement/{id} (2 threads, 2 connections, $DURATION)"
wrk -t2 -c2 -d"$DURATION" --latency -s scripts/bench_enforcement.lua "$BASE" | tee "$WORK/lookup.txt"
echo
echo "== ban -> change feed, with usage ingest running"
$PY manage.py bench_enforcement --feed --base "$BASE" --key "$KEY" --bans "${BENCH_BANS:-200}"
