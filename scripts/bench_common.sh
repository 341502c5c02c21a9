# Sourced by the scripts/bench_*.sh benchmarks: a scratch directory (with the Prometheus multiprocess
# directory gunicorn expects, as scripts/run.sh runs it), background processes stopped on exit, and
# the benchmark's own PostgreSQL database.

WORK=$(mktemp -d)
export PROMETHEUS_MULTIPROC_DIR=$WORK/prometheus
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

# Processes started in the background (add their pids): stopped, with the scratch directory, on exit.
BACKGROUND=()
cleanup() {
  for pid in "${BACKGROUND[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${BACKGROUND[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Create the local database NAME unless BENCH_DATABASE_URL names another one.
ensure_bench_database() {
  [ -n "${BENCH_DATABASE_URL:-}" ] && return
  scripts/services.sh >/dev/null
  if [ "$(psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" != 1 ]; then
    createdb -h 127.0.0.1 -U postgres "$1"
  fi
}

# wrk, the HTTP load tool, from Debian's package when it is missing (the machine's user is root).
ensure_wrk() {
  command -v wrk >/dev/null && return
  echo "== installing wrk (Debian package)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
}
