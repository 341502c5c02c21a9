#!/usr/bin/env bash
# Benchmark usage ingest and re-scoring on PostgreSQL + Redis and print the numbers: re-scores/s in one
# process (bench_rescore), then gunicorn (2 workers) and one Celery worker (1 process) under 1,000-event
# requests with ~400-word prompts (bench_ingest): events/s, request latency, re-scores/s, the lag from an
# event's 202 to its account's re-score (p50/p99), the memory of every process, and last re-scores/s in one
# process of accounts with usage (the account model; bench_rescore --with-usage).
#
#   scripts/bench_ingest.sh
#
# Environment: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/riskscore_ingest_bench,
# created if missing), BENCH_BROKER_URL (redis://127.0.0.1:6379/14), BENCH_ACCOUNTS (10000 simulated
# accounts, populated once), BENCH_TOUCHED_ACCOUNTS (the accounts the requests draw from: all of them; fewer touch
# each one as often as all would at a higher request rate, for the re-scores on a slower or shared machine),
# BENCH_DURATION (30 s of load), BENCH_CONNECTIONS (2), BENCH_PORT (8078). RESCORE_MIN_INTERVAL_SECONDS is passed on.
# Targets: >= 5,000 events/s (aim 10,000), >= 500 re-scores/s per worker.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
ACCOUNTS=${BENCH_ACCOUNTS:-10000}
PORT=${BENCH_PORT:-8078}
BASE=http://127.0.0.1:$PORT
export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/riskscore_ingest_bench}
export CELERY_BROKER_URL=${BENCH_BROKER_URL:-redis://127.0.0.1:6379/14}
export DB_CONN_MAX_AGE=600 DEBUG=False PYTHONUNBUFFERED=1 LOG_LEVEL=WARNING
source scripts/bench_common.sh

echo "== database $DATABASE_URL, broker $CELERY_BROKER_URL"
ensure_bench_database riskscore_ingest_bench
$PY manage.py migrate --noinput -v 0
$PY manage.py install_baseline
present=$($PY manage.py shell -v 0 -c "from accounts.models import Account; print(Account.objects.count())" | tail -n1)
if [ "$present" -lt "$ACCOUNTS" ]; then
  echo "== populating: $present accounts present, adding $((ACCOUNTS - present))"
  $PY manage.py simulate --accounts $((ACCOUNTS - present)) --seed $((1000 + present)) --days 60
fi
# Every run meets the same state: no usage events, usage aggregates or pending re-scores of earlier runs.
$PY manage.py shell -v 0 -c "
from django.db import connection
from accounts import models
from accounts.models import Account
usage = [models.UsageEvent, models.UsageHour, models.UsageAccountIp, models.UsageAccountTemplate,
         models.UsageAccountModel, models.ModelFirstSeen]
connection.cursor().execute('TRUNCATE ' + ', '.join(m._meta.db_table for m in usage))
Account.objects.update(rescore_requested_at=None, evidence_through=None)
connection.cursor().execute('VACUUM ANALYZE')"
$PY -m celery -A riskscore purge -f >/dev/null

echo
echo "== re-scoring in one process (what one worker does with re-score tasks)"
$PY manage.py bench_rescore --accounts 5000

echo
echo "== gunicorn (2 workers) on $BASE and one Celery worker (1 process)"
if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
  echo "something already answers on port $PORT; set BENCH_PORT" >&2
  exit 1
fi
.venv/bin/celery -A riskscore worker --pool=prefork --concurrency=1 --loglevel=WARNING \
  --without-gossip --without-mingle --without-heartbeat &
WORKER=$!
BACKGROUND+=("$WORKER")
.venv/bin/gunicorn riskscore.wsgi:application -w 2 -b "127.0.0.1:$PORT" --timeout 120 --log-level warning &
GUNICORN=$!
BACKGROUND+=("$GUNICORN")
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
  sleep 0.5
done
KEY=$($PY manage.py create_api_key --name bench-ingest --scopes ingest | tail -n1)
echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) (2 cores; above ~0.5 the machine is shared)"
WEB_PIDS=$(pgrep -P "$GUNICORN" | paste -sd,)
POOL_PIDS=$(pgrep -P "$WORKER" | paste -sd,)
$PY manage.py bench_ingest --base "$BASE" --key "$KEY" --duration "${BENCH_DURATION:-30}" \
  --connections "${BENCH_CONNECTIONS:-2}" --accounts "${BENCH_TOUCHED_ACCOUNTS:-$ACCOUNTS}" --web-pids "$WEB_PIDS" --worker-pids "$POOL_PIDS"
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== memory after the load (resident; peak)"
rss() { awk -v who="$1 $2" '/^VmRSS:/ {r = $2} /^VmHWM:/ {h = $2} END {printf "  %-26s %4d MB; peak %4d MB\n", who, r / 1024, h / 1024}' "/proc/$2/status"; }
for pid in $(pgrep -P "$GUNICORN"); do rss "gunicorn worker" "$pid"; done
rss "celery worker (main)" "$WORKER"
for pid in $(pgrep -P "$WORKER"); do rss "celery worker (pool)" "$pid"; done

echo
echo "== re-scoring accounts with usage in one process (account model, usage features read per batch)"
$PY manage.py bench_rescore --accounts 5000 --with-usage
