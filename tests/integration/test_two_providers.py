"""Two providers for real: two riskscore processes on two databases with one sharing key.

On PostgreSQL the providers get two databases of their own beside the test database;
on the embedded defaults, two SQLite files.
"""

from __future__ import annotations

import pytest
from django.db import connection

from intel.two_providers import Provider, flagged, run_scenario

pytestmark = pytest.mark.integration


@pytest.fixture
def two_databases(tmp_path):
    if connection.vendor != "postgresql":
        yield [f"sqlite:///{tmp_path / name / 'riskscore.sqlite3'}" for name in ("a", "b")]
        return
    import psycopg

    db = connection.settings_dict
    names = [f"{db['NAME']}_provider_{side}" for side in ("a", "b")]
    server = f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} user={db['USER']} dbname=postgres"
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield [f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}" for name in names]
    with psycopg.connect(server, autocommit=True) as admin:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def providers(two_databases, tmp_path):
    a = Provider("provider-a", two_databases[0], tmp_path / "a")
    b = Provider("provider-b", two_databases[1], tmp_path / "b")
    try:
        yield a.start(), b.start()
    finally:
        a.stop()
        b.stop()


@pytest.mark.django_db
def test_a_campaign_confirmed_at_one_provider_is_flagged_at_signup_by_the_other(providers):
    outcome = run_scenario(*providers)
    assert outcome.exported_indicators >= 2
    assert (outcome.imported["indicators"], outcome.imported["rejected"]) == (outcome.exported_indicators, [])
    assert [flagged(s) for s in outcome.campaign_on_b] == [True] * len(outcome.campaign_on_b)
    assert {outcome.tiers_on_b[s["account_id"]] for s in outcome.campaign_on_b} <= {"restricted", "blocked"}
    assert [flagged(s) for s in outcome.legitimate_on_b] == [False] * len(outcome.legitimate_on_b)
    assert {s["decision"] for s in outcome.legitimate_on_b} == {"allow"}
