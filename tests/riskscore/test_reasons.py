"""Reason codes: contributions grouped by code, strongest kept, described in plain words."""

import math

from riskscore.features.signup import SIGNUP_FEATURES
from riskscore.reasons import CODE_OF_FEATURE, MAX_REASONS, explain


def features(**values):
    base = {name: 0.0 for name in SIGNUP_FEATURES}
    base.update(values)
    return base


def test_every_signup_feature_has_a_reason_code():
    assert set(SIGNUP_FEATURES) <= set(CODE_OF_FEATURE)


def test_contributions_of_one_code_are_summed():
    contributions = {"shared_payment_accounts_1h": 0.2, "shared_payment_accounts_24h": 0.3}
    reasons = explain(contributions, features(shared_payment_accounts_24h=41))
    assert [(r.code, r.weight) for r in reasons] == [("shared_payment_fingerprint", 0.5)]
    assert "41 in 24h" in reasons[0].description


def test_at_most_five_reasons_largest_weight_first():
    contributions = {name: 0.1 * (i + 1) * (-1) ** i for i, name in enumerate(SIGNUP_FEATURES)}
    reasons = explain(contributions, features())
    assert len(reasons) == MAX_REASONS
    assert [r.weight for r in reasons] == sorted((r.weight for r in reasons), reverse=True)


def test_negligible_contributions_are_not_reasons():
    assert explain({"ip_is_cloud": 0.001}, features()) == []


def test_unknown_count_is_described_as_unknown():
    reasons = explain({"same_phone_accounts_7d": 0.4}, features(same_phone_accounts_7d=math.nan))
    assert "unknown number" in reasons[0].description
