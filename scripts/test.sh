#!/usr/bin/env bash
# Install everything and run the whole test suite twice: against the real PostgreSQL,
# Redis and Celery worker processes, then on the embedded defaults (SQLite, filesystem broker).
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
scripts/services.sh

echo "== PostgreSQL + Redis"
DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/riskscore}" \
CELERY_BROKER_URL="${TEST_BROKER_URL:-redis://127.0.0.1:6379/15}" \
  .venv/bin/python -m pytest "$@"

echo "== embedded defaults (SQLite + filesystem broker)"
env -u DATABASE_URL -u CELERY_BROKER_URL .venv/bin/python -m pytest "$@"
