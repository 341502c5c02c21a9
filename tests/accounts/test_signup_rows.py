"""The one-statement signup insert prepares each value as Django's own insert would."""

from datetime import UTC, datetime

import numpy as np
import pytest
from django.db import connection
from psycopg.types.json import Jsonb

from accounts.models import Account, Band, Decision, Pathway, ScoreRecord, Status, Trigger
from accounts.signup_rows import _row_fields, _row_values
from enforcement.services import first_enforcement

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the one-statement insert is PostgreSQL's; SQLite takes the ORM's"
)


def django_values(obj, skip=frozenset()):
    return [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in _row_fields(type(obj), skip)]


def comparable(values):
    return [(type(v), v.obj) if isinstance(v, Jsonb) else (type(v), v) for v in values]


def test_row_values_are_what_django_would_send(db, baseline):
    at = datetime(2026, 3, 1, 12, tzinfo=UTC)
    account = Account(
        account_id="acct_rows",
        pathway=Pathway.EDUCATION,
        email="a@mit.edu",
        email_normalized="a@mit.edu",
        ip="2001:0DB8:0000:0000:0000:0000:0000:0001",  # Django normalises an IPv6 address
        created_at=at,
        status=Status.ACTIVE,
        score=np.float64(0.25),  # numpy floats become plain floats
        band=Band.LOW,
        decision=Decision.ALLOW,
        reasons=[{"code": "x", "weight": 0.1}],
        model_version="m1",
        scored_at=at,
        evidence_through=None,
        signup_features={"f": 1.0},
    )
    record = ScoreRecord(
        account=account,
        trigger=Trigger.SIGNUP,
        score=0.25,
        band="low",
        decision="allow",
        model_version="m1",
        scored_at=at,
        verification=[],
        reasons=[],
    )
    first = first_enforcement(account=account)
    cases = [
        (account, frozenset()),
        (record, frozenset({"account"})),
        (first.row, frozenset({"account", "seq"})),
        (first.change, frozenset({"account"})),
    ]
    for obj, skip in cases:
        assert comparable(_row_values(obj, skip=skip)) == comparable(django_values(obj, skip))
    assert "2001:db8::1" in map(str, _row_values(account))
