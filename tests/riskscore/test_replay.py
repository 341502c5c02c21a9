"""The replay evaluation sends a simulated population through the API and reports detection per campaign."""

from datetime import UTC, datetime

import pytest

from accounts.models import Account, UsageEvent
from riskscore import registry
from riskscore.replay import ReplaySettings, replay
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN


# Re-scores are sent when the ingest transaction commits, so the test needs real commits.
@pytest.mark.django_db(transaction=True)
def test_a_replay_stores_every_event_and_reports_each_campaign():
    for kind in ("signup", "account"):
        registry.install_baseline(kind)
    settings = ReplaySettings(seed=4, accounts=500, start=datetime(2026, 5, 4, tzinfo=UTC), days=3, scale=0.02)
    result = replay(settings)
    assert result["accounts"] == Account.objects.count()
    assert result["usage_events"] == UsageEvent.objects.count()
    assert HELD_OUT_CAMPAIGN in result["campaigns"]
    for campaign in result["campaigns"].values():
        assert 0 <= campaign["share_of_requests_served_before_flag"] <= 1
    assert Account.objects.filter(scores__trigger="usage").exists()
