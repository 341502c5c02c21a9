"""Coalescing through the real broker: a storm of events for the same accounts leaves one re-score task queued."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.models import Account, ScoreRecord
from accounts.services import register_signup
from riskscore.celery import app as celery_app
from tests.builders import signup_input
from tests.conftest import client_with_scopes
from tests.integration.conftest import start_worker, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def queued_tasks() -> int:
    with celery_app.connection_for_read() as conn:
        return conn.default_channel.queue_declare("celery", passive=True).message_count


def test_many_requests_for_the_same_accounts_queue_one_rescore_and_the_worker_sees_them_all(baseline, tmp_path):
    celery_app.control.purge()
    accounts = [register_signup(signup=signup_input()).account for _ in range(3)]
    client = client_with_scopes("ingest")
    for minute in range(10):
        events = [
            {
                "event_id": f"storm-{minute}-{account.account_id}",
                "account_id": account.account_id,
                "timestamp": f"2026-03-01T13:{minute:02d}:00Z",
                "ip": "198.51.100.20",
                "model": "frontier",
                "input_tokens": 10,
                "output_tokens": 10,
            }
            for account in accounts
        ]
        assert client.post("/api/v1/usage", {"events": events}, format="json").status_code == 202
    assert queued_tasks() == 1  # one task for the three accounts, sent by the first request

    worker = start_worker(tmp_path / "worker.log")
    try:
        assert wait_for(lambda: ScoreRecord.objects.filter(account__in=accounts, trigger="usage").count() == 3)
    finally:
        worker.stop()
    newest = datetime(2026, 3, 1, 13, 9, tzinfo=UTC)
    assert {a.evidence_through for a in Account.objects.filter(pk__in=[a.pk for a in accounts])} == {newest}
