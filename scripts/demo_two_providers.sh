#!/usr/bin/env bash
# Two riskscore providers on two databases with one sharing key: A confirms a campaign and
# exports it, B imports it and flags that campaign's new signups while real students pass.
# Without arguments both use SQLite in a scratch folder; or give two database URLs:
#   scripts/demo_two_providers.sh postgres://postgres@127.0.0.1:5432/provider_a postgres://postgres@127.0.0.1:5432/provider_b
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh >/dev/null
exec .venv/bin/python -m intel.two_providers "$@"
