"""The account baseline's simulated history: detection and analysts in event time, and a partner's indicators."""

from __future__ import annotations

from datetime import timedelta

import pytest

from accounts.models import AnalystDecision
from clusters.models import DetectionRun, MembershipChange
from intel import matching
from riskscore.baseline import (
    ANALYST_DELAY,
    BASELINE_START,
    PARTNER_SHARES_AFTER,
    import_partner_indicators,
    replay_with_detection,
)
from riskscore.simulator import simulate_signups
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN, simulate_usage

pytestmark = pytest.mark.django_db


def matches(signup, *, at) -> int:
    p = signup.payload
    return matching.signup_matches(
        email=p["email"],
        ip=p["ip"],
        payment_fingerprint=p.get("payment_fingerprint", ""),
        device_id=p.get("device_id", ""),
        phone=p.get("phone", ""),
        at=at,
    )


def test_the_simulated_partner_flags_some_campaign_accounts_and_no_legitimate_one_and_only_from_its_second_week(db):
    signups = simulate_signups(seed=5, accounts=1500, start=BASELINE_START, days=14)
    assert import_partner_indicators(signups, seed=5) > 0
    later = BASELINE_START + PARTNER_SHARES_AFTER + timedelta(days=1)
    assert sum(matches(s, at=later) > 0 for s in signups if s.is_abusive) > 0
    assert not any(matches(s, at=later) for s in signups if not s.is_abusive or s.group == HELD_OUT_CAMPAIGN)
    assert not any(matches(s, at=BASELINE_START + timedelta(days=1)) for s in signups)


def test_the_history_labels_only_after_the_analysts_delay_and_runs_detection_every_step(baseline):
    signups = simulate_signups(seed=3, accounts=150, start=BASELINE_START, days=3)
    events = simulate_usage(seed=3, signups=signups, start=BASELINE_START, days=3)
    runs = replay_with_detection(signups, events, seed=3)
    assert runs == DetectionRun.objects.count() >= 12
    decisions = AnalystDecision.objects.select_related("account")
    assert decisions.exists()
    assert all(d.created_at == d.account.created_at + ANALYST_DELAY for d in decisions)
    assert MembershipChange.objects.exists()
