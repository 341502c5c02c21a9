#!/usr/bin/env bash
# Create .venv and install the pinned dependencies (runtime, or runtime + test tools with "dev").
# "dev" also installs Debian's Chromium for the console's browser tests when /usr/bin/chromium is missing.
# Re-running is cheap: pip is skipped while the requirements files are unchanged, apt while Chromium is there.
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
if [ "${1:-}" = "dev" ] && [ ! -x /usr/bin/chromium ]; then
  # Playwright drives this browser by path; it never downloads one of its own.
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get install -y -qq chromium >/dev/null 2>&1 || { $sudo apt-get update -qq && $sudo apt-get install -y -qq chromium; }
fi
