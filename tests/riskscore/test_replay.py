"""The replay sends a simulated world through the API, with a gateway that follows enforcement, and reports on it.

One small replay (400 accounts, 3 days) is run once for the module; each test reads what it left.
"""

from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from accounts.models import Account, UsageEvent
from clusters.evaluation import flagged_at_any_run
from riskscore import registry
from riskscore.replay import ReplaySettings, run_replay
from riskscore.replay.gateway import REFUSED_BLOCKED, SERVED, Allowance, Gateway, tier_at
from riskscore.replay.report import build_report
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN

# Marked so that the session sets the test database up; the replay itself commits outside the tests' transactions.
pytestmark = pytest.mark.django_db

SETTINGS = ReplaySettings(
    seed=4,
    accounts=400,
    start=datetime(2026, 5, 4, tzinfo=UTC),
    days=3,
    scale=0.03,
    detect_every_hours=6,
    label_share=0.5,
    label_delay_hours=12,
)


@pytest.fixture(scope="module")
def replayed(django_db_setup, django_db_blocker):
    """The replay needs real commits (re-scores are sent when ingest commits), so it runs outside a test transaction
    and the database is emptied afterwards."""
    with django_db_blocker.unblock():
        for kind in ("signup", "account"):
            registry.install_baseline(kind)
        record = run_replay(SETTINGS)
        report = build_report(record)
        yield record, report
        call_command("flush", interactive=False, verbosity=0)


def test_the_report_counts_every_account_and_exactly_the_served_requests_as_stored_evidence(replayed):
    record, report = replayed
    assert report["accounts"] == Account.objects.count() == SETTINGS.accounts
    assert report["usage_events_simulated"] == len(record.gateway.requests)
    assert report["usage_events_served"] == UsageEvent.objects.count()
    assert report["usage_events_served"] < report["usage_events_simulated"]  # some requests were refused


def test_a_blocked_accounts_later_requests_are_refused_and_never_reach_ingest(replayed):
    record, _ = replayed
    refused = [r for r in record.gateway.requests if r.outcome == REFUSED_BLOCKED]
    assert refused
    for request in refused:
        assert tier_at(record.gateway.history[request.account_id], request.at) == "blocked"
    stored = set(UsageEvent.objects.values_list("account__account_id", "timestamp"))
    assert not any((r.account_id, r.at) in stored for r in refused)


def test_every_served_request_carries_the_tier_the_gateway_held_when_it_was_served(replayed):
    record, _ = replayed
    served = [r for r in record.gateway.requests if r.outcome == SERVED]
    assert served
    for request in served[:: max(1, len(served) // 500)]:
        assert request.tier == tier_at(record.gateway.history[request.account_id], request.at)
        assert request.tier != "blocked"


def test_tier_shares_of_each_population_and_age_sum_to_one(replayed):
    _, report = replayed
    tiers = report["enforcement"]["tiers_by_account_age_days"]
    assert {"student", "researcher", "startup", "individual", "enterprise", HELD_OUT_CAMPAIGN} <= set(tiers)
    for ages in tiers.values():
        for shares in ages.values():
            total = sum(v for k, v in shares.items() if k != "accounts")
            assert total == pytest.approx(1.0, abs=0.01)


def test_analysts_make_campaigns_known_and_a_campaign_is_found_as_a_pure_cluster(replayed):
    _, report = replayed
    clusters = report["clusters"]
    assert clusters["campaigns_known_from"]
    assert any(c["clusters"] >= 1 and c["purity"] >= 0.8 and c["coverage"] > 0 for c in clusters["campaigns"].values())
    for campaign in clusters["campaigns"].values():
        assert sum(campaign["accounts_by_search"].values()) >= round(campaign["coverage"] * campaign["accounts"])
    assert report["detection_runs"] == SETTINGS.days * 24 // SETTINGS.detect_every_hours


def test_campaign_figures_agree_across_the_report(replayed):
    _, report = replayed
    campaigns = set(report["detection"]["campaigns"])
    assert campaigns == set(report["clusters"]["campaigns"]) == set(report["enforcement"]["campaign_output_tokens"])
    assert report["detection"]["campaigns"][HELD_OUT_CAMPAIGN]["held_out_style"]
    for tokens in report["enforcement"]["campaign_output_tokens"].values():
        assert tokens["full_reasoning_before_restricted_share"] <= tokens["served_with_full_reasoning_share"]
        assert tokens["served_with_full_reasoning_share"] <= tokens["served_share"] <= 1
    for campaign in report["detection"]["campaigns"].values():
        assert 0 <= campaign["share_of_requests_served_before_flag"] <= 1


@pytest.mark.parametrize("enforce, outcome", [(True, REFUSED_BLOCKED), (False, SERVED)])
def test_a_monitoring_gateway_records_a_blocked_accounts_tier_but_serves_it(enforce, outcome):
    gateway = Gateway(client=None, enforce=enforce)
    gateway.allowance["acct_1"] = Allowance("blocked", "none", 0, 0)
    event = {"account_id": "acct_1", "output_tokens": 500}
    assert gateway.serve(event, at=datetime(2026, 5, 4, tzinfo=UTC)) is (outcome == SERVED)
    assert [(r.outcome, r.tier) for r in gateway.requests] == [(outcome, "blocked")]


def test_legitimate_groups_flagged_at_any_run_include_those_flagged_after_the_last_run(replayed):
    record, report = replayed
    clusters = report["clusters"]
    ever = clusters["legitimate_in_flagged_cluster_at_any_run"]
    assert set(ever["groups"]) == set(clusters["legitimate_groups"])
    for population, figures in clusters["legitimate_groups"].items():
        assert figures["flagged"] <= ever["groups"][population] <= figures["groups"]
    assert clusters["legitimate_accounts_in_flagged_clusters"] <= ever["accounts"] <= 1
    legitimate = {s.payload["account_id"] for s in record.signups if not s.is_abusive}
    assert ever["accounts"] == round(len(legitimate & set(record.cluster_flagged_at)) / len(legitimate), 4)


def test_a_group_counts_as_flagged_at_any_run_if_one_member_was(replayed):
    record, _ = replayed
    truth = {s.payload["account_id"]: s for s in record.signups}
    lab = next(s for s in record.signups if s.population == "researcher" and s.group)
    members = [a for a, s in truth.items() if s.group == lab.group]
    before = flagged_at_any_run(truth, {})
    after = flagged_at_any_run(truth, {members[0]: record.settings.start})
    assert before["groups"]["researcher"] == 0 and after["groups"]["researcher"] == 1
    assert after["accounts"] > before["accounts"] == 0
