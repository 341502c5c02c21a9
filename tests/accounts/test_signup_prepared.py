"""On PostgreSQL the signup hook's two statements — the reuse counts and the one insert — are prepared
once per connection, not parsed and planned on every signup (Django turns psycopg's preparing off unless
settings turn it back on; execute(prepare=True) alone is then silently ignored)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.builders import signup_payload

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def runs_of_prepared(opening: str, plans: str = "generic_plans + custom_plans") -> list[int]:
    """How often each statement prepared on this connection and opening so has run (with these plans)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {plans} FROM pg_prepared_statements WHERE starts_with(statement, %s)", [opening])
        return [runs for (runs,) in cursor.fetchall()]


REUSE_COUNTS = "SELECT wanted.idx"
ONE_INSERT = "WITH new_account AS (INSERT"


def test_the_reuse_counts_and_the_insert_are_prepared_once_and_run_many_times(signup_client):
    # Earlier tests on this connection may have prepared them already.
    before = {opening: sum(runs_of_prepared(opening)) for opening in (REUSE_COUNTS, ONE_INSERT)}
    for index in range(8):
        payload = signup_payload(account_id=f"acct_prepared_{index}", email=f"user{index}@example.org")
        assert signup_client.post("/api/v1/signups", payload, format="json").status_code == 201

    for opening in (REUSE_COUNTS, ONE_INSERT):
        runs = runs_of_prepared(opening)
        assert len(runs) == 1, f"{opening!r} prepared {len(runs)} times"
        assert runs[0] - before[opening] == 8
        # Planned when prepared, not on every run (PostgreSQL's own choice was a new plan each time).
        assert runs_of_prepared(opening, "custom_plans") == [0]


def database_options(**env: str) -> dict:
    """DATABASES' OPTIONS as the settings make them from this environment, in a fresh interpreter."""
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "riskscore.settings", **env}
    environment["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/riskscore?options=-c%20statement_timeout%3D5000"
    output = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    return json.loads(output.stdout)


def test_the_plan_setting_joins_options_the_url_gives_and_can_be_left_out():
    assert database_options()["options"] == "-c statement_timeout=5000 -c plan_cache_mode=force_generic_plan"
    assert database_options(DB_PLAN_CACHE_MODE="")["options"] == "-c statement_timeout=5000"
    assert "prepare_threshold" not in database_options(DB_PREPARED_STATEMENTS="false")
    assert database_options(DB_PREPARED_STATEMENTS="false")["options"] == "-c statement_timeout=5000"
