"""On PostgreSQL the signup hook's two statements — the reuse counts and the one insert — are prepared
once per connection, not parsed and planned on every signup (Django turns psycopg's preparing off unless
settings turn it back on; execute(prepare=True) alone is then silently ignored)."""

from __future__ import annotations

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
