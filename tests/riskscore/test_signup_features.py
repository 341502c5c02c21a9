"""Signup features: reuse counts in event time, from the real reuse index."""

import math

from accounts.services import register_signup
from riskscore.features.signup import SIGNUP_FEATURES, extract_signup_features
from tests.builders import signup_input


def register(**overrides):
    return register_signup(signup=signup_input(**overrides))


def test_features_follow_the_one_feature_list(baseline):
    evidence = extract_signup_features(signup_input())
    assert tuple(evidence.features) == SIGNUP_FEATURES


def test_card_reuse_is_counted_per_window_in_event_time(baseline):
    register(payment_fingerprint="pm_x", created_at="2026-03-01T09:00:00Z")
    register(payment_fingerprint="pm_x", created_at="2026-03-01T11:30:00Z")
    register(payment_fingerprint="pm_x", created_at="2026-02-26T12:00:00Z")
    features = extract_signup_features(signup_input(payment_fingerprint="pm_x", created_at="2026-03-01T12:00:00Z"))
    counts = [features.features[f"shared_payment_accounts_{w}"] for w in ("1h", "24h", "7d")]
    assert counts == [1, 2, 3]


def test_later_signups_do_not_count_for_a_backfilled_one(baseline):
    register(payment_fingerprint="pm_y", created_at="2026-03-05T12:00:00Z")
    backfill = extract_signup_features(signup_input(payment_fingerprint="pm_y", created_at="2026-03-01T12:00:00Z"))
    assert backfill.features["shared_payment_accounts_7d"] == 0


def test_signups_older_than_a_week_are_not_counted(baseline):
    register(device_id="dev_z", created_at="2026-02-20T12:00:00Z")
    features = extract_signup_features(signup_input(device_id="dev_z", created_at="2026-03-01T12:00:00Z"))
    assert features.features["shared_device_accounts_7d"] == 0


def test_gmail_dot_and_plus_variants_count_as_the_same_mailbox(baseline):
    register(email="jane.doe+a@gmail.com")
    features = extract_signup_features(signup_input(email="janedoe+b@gmail.com"))
    assert features.features["same_email_accounts_7d"] == 1
    assert features.features["email_was_rewritten"] == 1


def test_campus_network_share_counts_academic_signups_on_the_prefix(baseline):
    register(ip="171.64.1.10", email="a1@stanford.edu")
    register(ip="171.64.1.11", email="someone@gmail.com")
    features = extract_signup_features(signup_input(ip="171.64.1.12", email="b@cs.stanford.edu"))
    assert features.features["ip_prefix_academic_share_7d"] == 0.5


def test_missing_optional_identifiers_are_unknown_not_zero(baseline):
    features = extract_signup_features(signup_input(payment_fingerprint="", phone=""))
    assert features.features["payment_missing"] == 1
    assert math.isnan(features.features["shared_payment_accounts_24h"])
