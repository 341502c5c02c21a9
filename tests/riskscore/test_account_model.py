"""The account model: trained beside the signup model, and used by re-scores once an account has usage evidence."""

from datetime import UTC, datetime

import pytest

from accounts.ingest import ingest_events
from accounts.models import Account, AnalystDecision, ScoreRecord
from accounts.services import register_signup
from riskscore import registry, training
from riskscore.models import ModelVersion
from riskscore.reasons import REASON_BY_CODE
from riskscore.rescoring import rescore_accounts, rescore_flagged
from riskscore.simulation import load_simulated_signups, load_simulated_usage
from riskscore.simulator import simulate_signups
from riskscore.simulator.usage import UsagePlan, simulate_usage
from tests.accounts.test_usage_aggregates import GRADER, usage
from tests.builders import signup_input


@pytest.fixture
def account_baseline(baseline):
    return registry.install_baseline("account")


def with_usage(account, n=5):
    events = [
        usage(account, datetime(2026, 3, 1, 12, minute, tzinfo=UTC), prompt=GRADER.format(payload=f"p{minute}"))
        for minute in range(n)
    ]
    ingest_events(events, invalid=[], request_rescores=lambda pks: None)


def latest_score(account):
    return ScoreRecord.objects.filter(account=account).order_by("-scored_at", "-id").first()


def test_a_usage_rescore_is_scored_by_the_account_model(account_baseline):
    account = register_signup(signup=signup_input()).account
    with_usage(account)
    rescore_flagged(account_pks=[account.pk])
    record = latest_score(account)
    assert record.model_version == account_baseline.version
    assert record.evidence_through == datetime(2026, 3, 1, 12, 4, tzinfo=UTC)
    assert Account.objects.get(pk=account.pk).model_version == account_baseline.version


def test_an_account_without_usage_keeps_the_signup_model_on_a_periodic_rescore(account_baseline, baseline):
    account = register_signup(signup=signup_input()).account
    rescore_accounts(account_ids=[account.account_id], trigger="periodic")
    assert latest_score(account).model_version == baseline.version


def test_without_an_active_account_model_usage_rescores_fall_back_to_the_signup_model(baseline):
    account = register_signup(signup=signup_input()).account
    with_usage(account)
    rescore_flagged(account_pks=[account.pk])
    assert latest_score(account).model_version == baseline.version


def test_a_rescore_sets_the_status_the_policy_gives_its_decision(account_baseline):
    account = register_signup(signup=signup_input()).account
    Account.objects.filter(pk=account.pk).update(status="banned")
    with_usage(account)
    rescore_flagged(account_pks=[account.pk])
    account.refresh_from_db()
    assert account.status != "banned"


def test_a_rescore_leaves_the_status_an_analyst_set(account_baseline):
    account = register_signup(signup=signup_input()).account
    AnalystDecision.objects.create(account=account, action="ban", actor="analyst")
    Account.objects.filter(pk=account.pk).update(status="banned")
    with_usage(account)
    rescore_flagged(account_pks=[account.pk])
    assert Account.objects.get(pk=account.pk).status == "banned"


def test_usage_reasons_have_stable_codes(account_baseline):
    account = register_signup(signup=signup_input()).account
    with_usage(account, n=30)
    rescore_flagged(account_pks=[account.pk])
    codes = [reason["code"] for reason in latest_score(account).reasons]
    assert codes and all(code in REASON_BY_CODE for code in codes)


def test_the_models_endpoint_lists_both_kinds(admin_client, account_baseline):
    kinds = {model["kind"] for model in admin_client.get("/api/v1/models").json()}
    assert kinds == {"signup", "account"}


def test_training_gives_an_account_model_beside_the_signup_model_with_low_friction_recall(baseline):
    start = datetime(2026, 2, 2, tzinfo=UTC)
    signups = simulate_signups(seed=3, accounts=600, start=start, days=6)
    load_simulated_signups(signups)
    load_simulated_usage(simulate_usage(seed=3, signups=signups, start=start, days=6, plan=UsagePlan(scale=0.03)))
    models, skipped = training.train_models()
    assert [model.kind for model in models] == [ModelVersion.Kind.SIGNUP, ModelVersion.Kind.ACCOUNT]
    assert skipped == {}
    metrics = models[1].metrics
    assert metrics["auc"] > 0.5
    assert 0 <= metrics["recall_at_1pct_fpr_low_friction"] <= 1


def test_the_simulate_command_ingests_usage_through_the_ingest_path(baseline):
    import io

    from django.core.management import call_command

    from accounts.models import UsageEvent, UsageHour

    call_command(
        "simulate", "--accounts", "120", "--days", "2", "--usage", "--usage-scale", "0.02", stdout=io.StringIO()
    )
    assert UsageEvent.objects.exists()
    assert UsageHour.objects.exists()
    assert not UsageEvent.objects.filter(account__label__isnull=True).exists()
