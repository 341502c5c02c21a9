"""Both shipped baselines learned a weight for partner-indicator matches (the baseline builds import a
simulated partner's indicators before their signups), so a match raises the score beyond the policy's floor."""

from __future__ import annotations

from datetime import UTC, datetime

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account
from accounts.services import register_signup
from riskscore import registry
from riskscore.features.signup import extract_signup_features
from riskscore.features.usage import account_features_many
from riskscore.models import ModelVersion
from riskscore.scoring import score_many
from tests.builders import signup_input

PARTNER = "partner_indicator_matches"
AT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def matched_and_not(row: dict) -> list[dict]:
    return [{**row, PARTNER: 1.0}, {**row, PARTNER: 0.0}]


def test_the_signup_baseline_scores_a_partner_match_higher(baseline):
    signup = signup_input(email="kai.rivera@gmail.com", pathway="standard", organization="", phone="")
    row = extract_signup_features(signup).features
    matched, unmatched = score_many(matched_and_not(row), kind="signup")
    assert matched.raw_margin > unmatched.raw_margin


def test_the_account_baseline_scores_a_partner_match_higher(baseline):
    registry.install_baseline(ModelVersion.Kind.ACCOUNT)
    account = register_signup(signup=signup_input(created_at=AT.isoformat())).account
    event = EventInput(
        index=0,
        event_id="partner-weight",
        account_id=account.account_id,
        timestamp=AT,
        ip="198.51.100.7",
        model="m",
        input_tokens=300,
        output_tokens=900,
        prompt="Write a Python function that merges two sorted lists.",
    )
    ingest_events([event], invalid=[], request_rescores=lambda pks: None)
    row = account_features_many([Account.objects.get(pk=account.pk)], at={account.pk: AT})[account.pk]
    matched, unmatched = score_many(matched_and_not(row), kind="account")
    assert matched.raw_margin > unmatched.raw_margin
