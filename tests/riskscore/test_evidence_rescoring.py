"""Re-scoring on evidence: coalesced per account, reflecting every event accepted before it ran."""

from datetime import UTC, datetime

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account
from accounts.services import register_signup
from riskscore.rescoring import rescore_for_evidence
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


def test_many_batches_ask_for_one_rescore_per_account(baseline, django_capture_on_commit_callbacks):
    account = register_signup(signup=signup_input()).account
    requested = []
    for minute in (1, 2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            ingest_events(events_for(account, minute), invalid=[], request_rescores=requested.extend)
    assert requested == [account.pk]


def test_rescore_reflects_the_newest_event_and_clears_the_flag(baseline):
    account = register_signup(signup=signup_input()).account
    ingest_events(events_for(account, 5, 9, 7), invalid=[], request_rescores=lambda pks: None)
    assert rescore_for_evidence(account_pk=account.pk) == datetime(2026, 3, 1, 12, 9, tzinfo=UTC)
    account = Account.objects.get(pk=account.pk)
    assert account.evidence_through == datetime(2026, 3, 1, 12, 9, tzinfo=UTC)
    assert account.rescore_requested_at is None
    assert account.scores.order_by("-scored_at", "-id").first().trigger == "usage"


def test_evidence_after_a_rescore_asks_for_another(baseline, django_capture_on_commit_callbacks):
    account = register_signup(signup=signup_input()).account
    requested = []
    with django_capture_on_commit_callbacks(execute=True):
        ingest_events(events_for(account, 1), invalid=[], request_rescores=requested.extend)
    rescore_for_evidence(account_pk=account.pk)
    with django_capture_on_commit_callbacks(execute=True):
        ingest_events(events_for(account, 2), invalid=[], request_rescores=requested.extend)
    assert requested == [account.pk, account.pk]
