"""`manage.py replay --monitor-only`: the gateway records tiers but serves every request, so blocked accounts'
requests become evidence too (an enforcing gateway refuses them: see test_replay.py)."""

import io
import json

import pytest
from django.core.management import call_command

from accounts.models import UsageEvent

# The replay commits for real (re-scores are sent when ingest commits); the database is emptied afterwards.
pytestmark = pytest.mark.django_db(transaction=True)


def test_monitor_only_serves_every_request_and_stores_what_blocked_accounts_sent(tmp_path):
    output, stdout = tmp_path / "replay.json", io.StringIO()
    call_command(
        "replay",
        "--monitor-only",
        "--no-camouflage",
        seed=4,
        accounts=150,
        start="2026-05-04T00:00:00+00:00",
        days=1,
        scale=0.03,
        detect_every_hours=6,
        label_share=0.5,
        label_delay_hours=6,
        output=str(output),
        stdout=stdout,
    )
    report = json.loads(output.read_text())
    assert report["settings"]["gateway_enforces"] is False
    assert report["usage_events_served"] == report["usage_events_simulated"] == UsageEvent.objects.count()
    requests = report["enforcement"]["requests"].values()
    sent_while_blocked = sum(round(r["sent_while_blocked"] * r["requests"]) for r in requests)
    assert sent_while_blocked > 0  # served, stored, and counted as what an enforcing gateway would have refused
    assert all(r["served"] == 1.0 and r["blocked"] == 0.0 for r in requests)
    text = stdout.getvalue()
    assert "Monitor only" in text and "requests before flag" in text and "served before flag" not in text
