"""Re-scoring on evidence: coalesced per account, batched, idempotent, reflecting every event accepted before it ran."""

from datetime import UTC, datetime, timedelta

from django.db import OperationalError
from django.utils import timezone

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account
from accounts.services import register_signup
from accounts.tasks import request_rescores, rescore_accounts, rescore_awaiting_accounts, rescore_stale_accounts
from riskscore import rescoring
from riskscore.features.signup import features_from_storage
from riskscore.rescoring import claim_awaiting_rescore, rescore_flagged
from riskscore.scoring import score_features, score_many
from tests.builders import signup_input


def events_for(account, *minutes):
    return [
        EventInput(
            index=i,
            event_id=f"{account.account_id}-{m}",
            account_id=account.account_id,
            timestamp=datetime(2026, 3, 1, 12, m, tzinfo=UTC),
            ip="198.51.100.20",
            model="m",
            input_tokens=10,
            output_tokens=20,
        )
        for i, m in enumerate(minutes)
    ]


def usage_triggers(account):
    return list(account.scores.filter(trigger="usage").values_list("evidence_through", flat=True))


def test_many_batches_ask_for_one_rescore_per_account(baseline, django_capture_on_commit_callbacks):
    accounts = [register_signup(signup=signup_input()).account for _ in range(3)]
    requested = []
    for minute in range(1, 11):
        with django_capture_on_commit_callbacks(execute=True):
            events = [event for account in accounts for event in events_for(account, minute)]
            ingest_events(events, invalid=[], request_rescores=requested.extend)
    assert sorted(requested) == sorted(account.pk for account in accounts)


def test_rescore_reflects_the_newest_event_and_clears_the_flag(baseline):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 5, 9, 7), invalid=[], request_rescores=lambda pks: None)
    assert rescore_flagged(account_pks=[account.pk]) == 1
    account = Account.objects.get(pk=account.pk)
    assert account.evidence_through == datetime(2026, 3, 1, 12, 9, tzinfo=UTC)
    assert account.rescore_requested_at is None
    assert account.scores.order_by("-scored_at", "-id").first().trigger == "usage"


def test_evidence_after_a_rescore_asks_for_another(baseline, django_capture_on_commit_callbacks):
    account = register_signup(signup=signup_input()).account
    requested = []
    with django_capture_on_commit_callbacks(execute=True):
        ingest_events(events_for(account, 1), invalid=[], request_rescores=requested.extend)
    rescore_flagged(account_pks=[account.pk])
    with django_capture_on_commit_callbacks(execute=True):
        ingest_events(events_for(account, 2), invalid=[], request_rescores=requested.extend)
    assert requested == [account.pk, account.pk]


def test_a_rescore_delivered_twice_writes_one_score(baseline):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 1, 2), invalid=[], request_rescores=lambda pks: None)
    assert rescore_flagged(account_pks=[account.pk]) == 1
    assert rescore_flagged(account_pks=[account.pk]) == 0
    assert usage_triggers(account) == [datetime(2026, 3, 1, 12, 2, tzinfo=UTC)]


def test_a_batch_rescores_only_the_flagged_accounts(baseline):
    flagged, quiet = (register_signup(signup=signup_input()).account for _ in range(2))
    ingest_events(events_for(flagged, 3), invalid=[], request_rescores=lambda pks: None)
    assert rescore_flagged(account_pks=[flagged.pk, quiet.pk]) == 1
    assert usage_triggers(quiet) == []


def test_batched_scores_equal_scores_one_by_one(baseline):
    accounts = [register_signup(signup=signup_input(phone="", device_id=f"d{i}")).account for i in range(5)]
    rows = [features_from_storage(account.signup_features) for account in accounts]
    assert score_many(rows, kind="signup") == [score_features(row, kind="signup") for row in rows]


def test_a_failing_rescore_is_retried_then_succeeds(baseline, monkeypatch):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 4), invalid=[], request_rescores=lambda pks: None)
    attempts = []
    real = rescoring.rescore_flagged

    def flaky(*, account_pks):
        attempts.append(account_pks)
        if len(attempts) < 3:
            raise OperationalError("connection lost")
        return real(account_pks=account_pks)

    monkeypatch.setattr(rescoring, "rescore_flagged", flaky)
    rescore_accounts.apply(args=[[account.pk]])
    assert len(attempts) == 3
    assert usage_triggers(account) == [datetime(2026, 3, 1, 12, 4, tzinfo=UTC)]


def test_a_rescore_failing_every_attempt_stops_and_leaves_the_account_flagged(baseline, monkeypatch, settings):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 4), invalid=[], request_rescores=lambda pks: None)
    attempts = []

    def broken(*, account_pks):
        attempts.append(account_pks)
        raise OperationalError("database down")

    monkeypatch.setattr(rescoring, "rescore_flagged", broken)
    outcome = rescore_accounts.apply(args=[[account.pk]])
    assert isinstance(outcome.result, OperationalError)
    assert len(attempts) == settings.RESCORE_MAX_RETRIES + 1
    assert Account.objects.get(pk=account.pk).rescore_requested_at is not None


def test_catch_up_sends_accounts_flagged_too_long_once_per_period(baseline):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 1), invalid=[], request_rescores=lambda pks: None)
    Account.objects.filter(pk=account.pk).update(rescore_requested_at=timezone.now() - timedelta(minutes=5))
    assert claim_awaiting_rescore(older_than=timedelta(minutes=2), limit=100) == [account.pk]
    assert claim_awaiting_rescore(older_than=timedelta(minutes=2), limit=100) == []


def test_catch_up_job_rescores_a_lost_rescore(baseline, settings, monkeypatch):
    settings.RESCORE_LOST_AFTER_SECONDS = 0
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 6), invalid=[], request_rescores=lambda pks: None)
    sent = []
    monkeypatch.setattr(rescore_accounts, "delay", lambda pks: sent.append(rescore_accounts.apply(args=[pks])))
    assert rescore_awaiting_accounts.apply().get() == 1
    assert usage_triggers(account) == [datetime(2026, 3, 1, 12, 6, tzinfo=UTC)]


def test_stale_job_rescores_accounts_without_a_recent_score(baseline, settings, monkeypatch):
    settings.RESCORE_STALE_AFTER_SECONDS = 3600
    stale, fresh = (register_signup(signup=signup_input()).account for _ in range(2))
    Account.objects.filter(pk=stale.pk).update(scored_at=timezone.now() - timedelta(hours=2))
    monkeypatch.setattr(rescore_accounts, "delay", lambda pks: rescore_accounts.apply(args=[pks]))
    assert rescore_stale_accounts.apply().get() == 1
    assert list(stale.scores.values_list("trigger", flat=True).order_by("-id")) == ["periodic", "signup"]
    assert list(fresh.scores.values_list("trigger", flat=True)) == ["signup"]
    assert Account.objects.get(pk=stale.pk).scored_at > timezone.now() - timedelta(minutes=1)


def test_an_account_rescored_on_usage_moments_ago_waits_out_the_minimum_interval(baseline, settings, monkeypatch):
    settings.RESCORE_MIN_INTERVAL_SECONDS = 10
    rescored, fresh = (register_signup(signup=signup_input()).account for _ in range(2))
    ingest_events(events_for(rescored, 1), invalid=[], request_rescores=lambda pks: None)
    assert rescore_flagged(account_pks=[rescored.pk]) == 1
    ingest_events(events_for(rescored, 2) + events_for(fresh, 2), invalid=[], request_rescores=lambda pks: None)
    now, later = [], []
    monkeypatch.setattr(rescore_accounts, "delay", now.append)
    monkeypatch.setattr(rescore_accounts, "apply_async", lambda args, countdown: later.append((args[0], countdown)))
    request_rescores([rescored.pk, fresh.pk])
    assert now == [[fresh.pk]]  # scored at signup only: its first usage re-score goes at once
    [(waiting, countdown)] = later
    assert waiting == [rescored.pk] and 9 < countdown <= 10
    assert Account.objects.get(pk=rescored.pk).rescore_requested_at is not None  # flagged: the evidence waits too
    # Once the interval has passed (or without one) the account goes at once.
    Account.objects.filter(pk=rescored.pk).update(scored_at=timezone.now() - timedelta(seconds=11))
    request_rescores([rescored.pk])
    settings.RESCORE_MIN_INTERVAL_SECONDS = 0
    Account.objects.filter(pk=rescored.pk).update(scored_at=timezone.now())
    request_rescores([rescored.pk])
    assert now == [[fresh.pk], [rescored.pk], [rescored.pk]] and len(later) == 1
