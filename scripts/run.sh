#!/usr/bin/env bash
# Install and run riskscore on its embedded defaults (SQLite, filesystem broker) at 127.0.0.1:8000:
# migrate, install the baseline model, load simulated demo data once, create a demo admin key once,
# then run a Celery worker, celery beat and gunicorn until interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
PY=.venv/bin/python
mkdir -p var
# This script serves plain HTTP on loopback: the console's session cookie cannot be Secure here.
export SESSION_COOKIE_SECURE="${SESSION_COOKIE_SECURE:-False}"
export PROMETHEUS_MULTIPROC_DIR="${PROMETHEUS_MULTIPROC_DIR:-$PWD/var/prometheus}"
rm -rf "$PROMETHEUS_MULTIPROC_DIR" && mkdir -p "$PROMETHEUS_MULTIPROC_DIR"

$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py install_baseline
$PY manage.py enforcement --refresh-all  # accounts from before enforcement get their tier
if [ ! -f var/.demo-data-loaded ]; then
  $PY manage.py simulate --accounts "${DEMO_ACCOUNTS:-3000}" --seed 1 && touch var/.demo-data-loaded
fi
if [ ! -s var/demo-admin-key ]; then
  (umask 077 && $PY manage.py create_api_key --name demo-admin --scopes admin | tail -n1 > var/demo-admin-key)
fi
echo "demo admin key (also in var/demo-admin-key): $(cat var/demo-admin-key)"
if [ ! -s var/demo-console-password ]; then
  (umask 077 && $PY -c "import secrets; print(secrets.token_urlsafe(12))" > var/demo-console-password)
  CONSOLE_PASSWORD="$(cat var/demo-console-password)" $PY manage.py create_console_user admin --role admin --password-env CONSOLE_PASSWORD
fi
echo "console: http://${BIND:-127.0.0.1:8000}/console/ as admin, password in var/demo-console-password"

trap 'kill $(jobs -p) 2>/dev/null; wait' EXIT INT TERM
.venv/bin/celery -A riskscore worker --loglevel=INFO --concurrency=2 &
.venv/bin/celery -A riskscore beat --loglevel=INFO --schedule var/celerybeat-schedule &
.venv/bin/gunicorn riskscore.wsgi:application --bind "${BIND:-127.0.0.1:8000}" --workers "${WEB_WORKERS:-2}" &
wait -n
