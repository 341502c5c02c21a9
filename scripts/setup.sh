#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (runtime, or runtime + test tools with "dev").
# Re-running is cheap: pip is skipped while the requirements files are unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."
requirements=requirements.txt
[ "${1:-}" = "dev" ] && requirements=requirements-dev.txt
python3 -m venv .venv 2>/dev/null || [ -x .venv/bin/python ]
stamp=".venv/.installed-$(cat requirements*.txt | sha256sum | cut -c1-16)-$(basename $requirements .txt)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -r "$requirements"
  touch "$stamp"
fi
