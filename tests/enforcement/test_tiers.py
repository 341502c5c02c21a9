"""Which tier an account is in, and how it moves both ways as its evidence changes."""

from __future__ import annotations

import pytest

from accounts.models import Account
from accounts.services import DecisionInput, record_decision
from enforcement.models import Enforcement, TierChange
from enforcement.services import refresh_cluster_members
from riskscore import policy
from riskscore.rescoring import rescore_accounts, rescore_flagged
from tests.enforcement.builders import add_usage, decision_policy_scoring_everything, make_cluster, new_account


def tier_of(account: Account) -> str:
    return Enforcement.objects.get(account=account).tier


def decide(account: Account, action: str, label: str | None = None) -> None:
    record_decision(decision=DecisionInput(account.account_id, label, action, "test"), actor="test")


@pytest.fixture
def student(baseline) -> Account:
    account = new_account()
    assert account.band == "low", "the builders' default signup is a clean Stanford student"
    return account


def test_a_new_student_starts_in_probation(student):
    assert tier_of(student) == "probation"


def test_a_clean_enterprise_signup_is_trusted(baseline):
    account = new_account(pathway="enterprise", email="ops@acme-corp.com", organization="Acme Corp")
    assert (account.band, tier_of(account)) == ("low", "trusted")


def test_a_student_with_clean_usage_for_days_earns_standard(student):
    add_usage(student, days_after_signup=4)
    rescore_flagged(account_pks=[student.pk])
    assert tier_of(student) == "standard"


def test_a_student_a_day_old_stays_in_probation(student):
    add_usage(student, days_after_signup=1)
    rescore_flagged(account_pks=[student.pk])
    assert tier_of(student) == "probation"


def test_suspending_blocks_and_restoring_relaxes(student):
    decide(student, "suspend")
    assert tier_of(student) == "blocked"
    decide(student, "restore", "legitimate")
    assert tier_of(student) == "standard"


def test_a_score_rising_into_the_high_bands_restricts_and_falling_back_relaxes(student):
    policy.save_policy(decision_policy_scoring_everything("high"), actor="test")
    rescore_accounts(account_ids=[student.account_id], trigger="manual")
    assert tier_of(student) == "restricted"
    policy.save_policy(decision_policy_scoring_everything("low"), actor="test")
    rescore_accounts(account_ids=[student.account_id], trigger="manual")
    assert tier_of(student) == "probation"


def test_members_of_a_flagged_cluster_move_together_and_back(baseline):
    members = [new_account() for _ in range(3)]
    cluster = make_cluster(members, band="high")
    refresh_cluster_members(cluster_ids=[cluster.cluster_id])
    assert [tier_of(m) for m in members] == ["restricted"] * 3
    cluster.band = "low"
    cluster.save()
    refresh_cluster_members(cluster_ids=[cluster.cluster_id])
    assert [tier_of(m) for m in members] == ["probation"] * 3


def test_traffic_dominated_by_cot_elicitation_gets_reasoning_summaries_but_keeps_its_tier(student):
    add_usage(student, days_after_signup=4, count=30, cot=0.9)
    rescore_flagged(account_pks=[student.pk])
    row = Enforcement.objects.get(account=student)
    assert (row.tier, row.reasoning) == ("standard", "summary")


def test_occasional_cot_prompts_keep_full_reasoning(student):
    add_usage(student, days_after_signup=4, count=30, cot=0.1)
    add_usage(student, days_after_signup=4.5, count=5, cot=0.9)
    rescore_flagged(account_pks=[student.pk])
    assert Enforcement.objects.get(account=student).reasoning == "full"


def test_each_tier_change_is_logged_with_its_cause(student):
    decide(student, "ban", "abusive")
    changes = list(TierChange.objects.filter(account=student).order_by("id").values_list("cause", "to_tier"))
    assert changes == [("signup", "probation"), ("decision", "blocked")]


def test_a_rescore_that_changes_nothing_logs_nothing(student):
    rescore_accounts(account_ids=[student.account_id], trigger="manual")
    assert TierChange.objects.filter(account=student).count() == 1


def test_cot_heavy_traffic_older_than_the_window_no_longer_limits_reasoning(student):
    add_usage(student, days_after_signup=1, count=30, cot=0.9)
    rescore_flagged(account_pks=[student.pk])
    assert Enforcement.objects.get(account=student).reasoning == "summary"
    add_usage(student, days_after_signup=12, count=30, cot=0.0)
    rescore_flagged(account_pks=[student.pk])
    assert Enforcement.objects.get(account=student).reasoning == "full"
