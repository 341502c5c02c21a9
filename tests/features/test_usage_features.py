"""Usage features as of an event time, read from the ingest aggregates."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import UsageHour
from accounts.services import register_signup
from riskscore.features.usage import USAGE_FEATURES, HourNumber, hour_number, usage_features
from tests.accounts.test_usage_aggregates import GRADER, ingest, usage
from tests.builders import signup_input

T0 = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)


@pytest.fixture
def account(baseline):
    return register_signup(signup=signup_input(created_at="2026-02-28T00:00:00Z")).account


@pytest.fixture
def other(baseline):
    return register_signup(signup=signup_input(created_at="2026-02-28T00:00:00Z")).account


def hours(n):
    return T0 + timedelta(hours=n)


def test_an_account_without_usage_has_no_usage_values_but_its_age(account):
    features = usage_features(account, at=hours(1))
    assert set(features) == set(USAGE_FEATURES)
    assert features["usage_requests_7d"] == 0
    assert math.isnan(features["usage_output_input_ratio"])
    assert features["usage_account_age_days"] == pytest.approx(1 + 1 / 24)


def test_volume_counts_only_events_up_to_the_hour_of_the_event_time(account):
    ingest(usage(account, hours(1), input_tokens=100, output_tokens=400), usage(account, hours(3)))
    features = usage_features(account, at=hours(2))
    assert features["usage_requests_7d"] == 1
    assert features["usage_output_input_ratio"] == 4


def test_one_wrapper_around_many_payloads_concentrates_the_templates(account):
    ingest(*(usage(account, hours(1), prompt=GRADER.format(payload=f"essay {n} on rivers")) for n in range(10)))
    features = usage_features(account, at=hours(2))
    assert features["usage_top_template_share"] == 1
    assert features["usage_templates_per_request"] == pytest.approx(0.1)
    assert features["usage_share_grading"] == 1


def test_templates_and_exits_shared_with_another_account_count_once_it_used_them(account, other):
    ingest(usage(account, hours(1), ip="203.0.113.5", prompt=GRADER.format(payload="a")))
    ingest(usage(other, hours(5), ip="203.0.113.5", prompt=GRADER.format(payload="b")))
    before = usage_features(account, at=hours(2))
    after = usage_features(account, at=hours(6))
    assert (before["usage_shared_template_accounts"], before["usage_shared_exit_accounts"]) == (0, 0)
    assert (after["usage_shared_template_accounts"], after["usage_shared_exit_accounts"]) == (1, 1)
    assert after["usage_shared_exit_request_share"] == 1


def test_cloud_share_and_prefixes_come_from_the_addresses_used(account):
    ingest(usage(account, hours(1), ip="3.5.140.2"), usage(account, hours(1), ip="198.51.100.7"))
    features = usage_features(account, at=hours(2))
    assert features["usage_distinct_prefixes"] == 2
    assert features["usage_cloud_share"] == 0.5


def test_a_script_running_around_the_clock_is_steady_and_never_idle(account):
    ingest(*(usage(account, hours(h)) for h in range(48)))
    features = usage_features(account, at=hours(48))
    assert features["usage_hourly_cv"] == 0
    assert features["usage_longest_idle_hours"] == 0
    assert features["usage_hour_of_day_entropy"] == pytest.approx(1)


def test_moving_traffic_to_a_newly_released_model_is_measured_from_its_first_appearance(account, other):
    ingest(usage(account, hours(1), model="old"), usage(account, hours(2), model="old"))
    ingest(usage(other, hours(10), model="new"))
    ingest(usage(account, hours(13), model="new"), usage(account, hours(14), model="new"))
    features = usage_features(account, at=hours(20))
    assert features["usage_new_model_share"] == 0.5
    assert features["usage_new_model_adoption_hours"] == 3


def test_a_batch_of_accounts_each_as_of_its_own_time_gets_the_features_each_gets_alone(baseline):
    from accounts.models import Account, UsageEvent
    from riskscore.features.usage import usage_features_many
    from riskscore.simulation import load_simulated_signups, load_simulated_usage
    from riskscore.simulator import simulate_signups
    from riskscore.simulator.usage import UsagePlan, simulate_usage

    start = datetime(2026, 2, 2, tzinfo=UTC)
    signups = simulate_signups(seed=5, accounts=150, start=start, days=3)
    load_simulated_signups(signups)
    load_simulated_usage(simulate_usage(seed=5, signups=signups, start=start, days=3, plan=UsagePlan(scale=0.05)))
    accounts = list(Account.objects.filter(pk__in=UsageEvent.objects.values("account_id")).order_by("pk"))
    assert len(accounts) > 20
    # Different times per account: some before much of their usage, some after all of it.
    at = {account.pk: start + timedelta(hours=6 + 7 * (i % 9)) for i, account in enumerate(accounts)}
    batch = usage_features_many(accounts, at=at)
    alone = {account.pk: usage_features(account, at=at[account.pk]) for account in accounts}
    linked = [pk for pk, features in batch.items() if features["usage_shared_exit_accounts"] > 0]
    assert linked, "the population shares some exits"
    for account in accounts:
        assert batch[account.pk] == pytest.approx(alone[account.pk], nan_ok=True)


def test_hours_are_numbered_alike_in_the_database_and_here(account):
    moments = [
        datetime(1999, 12, 31, 23, 59, tzinfo=UTC),
        hours(5) + timedelta(minutes=59, seconds=59),
        hours(24 * 400),
    ]
    ingest(*(usage(account, moment, index=i) for i, moment in enumerate(moments)))
    numbered = UsageHour.objects.filter(account=account).order_by("hour").values_list(HourNumber("hour"), flat=True)
    assert list(numbered) == [hour_number(moment) for moment in moments]


def test_the_longest_idle_stretch_is_the_longest_gap_between_active_hours(account):
    ingest(*(usage(account, hours(h), index=i) for i, h in enumerate((0, 1, 5, 30, 31))))
    assert usage_features(account, at=hours(31))["usage_longest_idle_hours"] == 24


def test_of_equally_busy_exits_the_first_twenty_in_address_order_are_looked_up_on_others(account, other):
    ingest(usage(other, hours(0), ip="9.0.0.1"))
    # Numerically 9.0.0.1 comes first; as text it would come last, the 21st, and not be looked up.
    addresses = ["9.0.0.1", *(f"10.0.0.{n}" for n in range(1, 21))]
    ingest(*(usage(account, hours(1), index=i, ip=ip) for i, ip in enumerate(addresses)))
    assert usage_features(account, at=hours(2))["usage_shared_exit_accounts"] == 1
