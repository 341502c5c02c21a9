"""Re-scoring accounts: on request (after a retrain or a policy change) and when new usage evidence arrives.

Status is left to analysts' actions and is not changed here. Until the account
model exists, a score comes from the stored signup features; an evidence re-score
records how far the account's usage evidence reaches (evidence_through). Evidence and
stale-score re-scores run in batches (one transaction, one batched predict).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Account, Trigger, UsageEvent
from accounts.services import Rescore, current_score_fields, record_rescores, record_score
from riskscore import policy
from riskscore.features.signup import features_from_storage
from riskscore.scoring import score_features, score_many

BATCH = 500


def rescore_accounts(*, account_ids: list[str] | None, trigger: str) -> dict:
    """Re-score the given accounts (all when None); unknown ids are reported, not fatal."""
    queryset = Account.objects.order_by("pk")
    if account_ids is not None:
        queryset = queryset.filter(account_id__in=account_ids)
    _, document = policy.current_policy.get()
    rescored, last_pk = 0, 0
    while batch := list(queryset.filter(pk__gt=last_pk)[:BATCH]):
        with transaction.atomic():
            for account in batch:
                _rescore(account, document=document, trigger=trigger)
        rescored += len(batch)
        last_pk = batch[-1].pk
    result = {"rescored": rescored}
    if account_ids is not None:
        found = set(Account.objects.filter(account_id__in=account_ids).values_list("account_id", flat=True))
        result["unknown_account_ids"] = sorted(set(account_ids) - found)
    return result


def rescore_flagged(*, account_pks: list[int]) -> int:
    """Re-score those of these accounts still flagged, each with every usage event committed so far; returns
    how many were re-scored.

    One transaction: the accounts are locked (in pk order, as ingest locks them), scored with one batched
    predict, their history rows written and their flags cleared together. A worker killed half-way rolls it
    all back, so the accounts stay flagged and a redelivered task re-scores them; a task delivered twice finds
    them unflagged and does nothing. Ingest flags under the same row locks, so an event committed while this
    runs waits for it, then flags the account again for a re-score of its own.
    """
    with transaction.atomic():
        accounts = list(
            Account.objects.select_for_update(no_key=True)
            .filter(pk__in=account_pks, rescore_requested_at__isnull=False)
            .order_by("pk")
        )
        if not accounts:
            return 0
        newest = newest_evidence(account_pks=[account.pk for account in accounts])
        _, document = policy.current_policy.get()
        scores = score_many([features_from_storage(account.signup_features) for account in accounts], kind="signup")
        scored_at = timezone.now()
        rescores = []
        for account, score in zip(accounts, scores, strict=True):
            evidence_through = newest.get(account.pk) or account.evidence_through
            grew = evidence_through is not None and evidence_through != account.evidence_through
            outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
            current = current_score_fields(score, outcome, scored_at=scored_at, evidence_through=evidence_through)
            rescores.append(Rescore(account, Trigger.USAGE if grew else Trigger.PERIODIC, outcome, current))
        record_rescores(rescores)
    return len(accounts)


def newest_evidence(*, account_pks: list[int]) -> dict[int, datetime]:
    """Each account's newest usage event time: one index probe per account, never a scan of its history."""
    newest = UsageEvent.objects.filter(account_id=OuterRef("pk")).order_by("-timestamp").values("timestamp")[:1]
    rows = Account.objects.filter(pk__in=account_pks).annotate(newest=Subquery(newest)).values_list("pk", "newest")
    return {pk: timestamp for pk, timestamp in rows if timestamp is not None}


def claim_awaiting_rescore(*, older_than: timedelta, limit: int) -> list[int]:
    """Accounts flagged longer than `older_than` without a re-score (a lost task, or a broker that was down).

    Their flag time is renewed, so a backlog is sent again at most once per `older_than`.
    """
    now = timezone.now()
    with transaction.atomic():
        pks = list(
            Account.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(rescore_requested_at__lte=now - older_than)
            .order_by("rescore_requested_at")
            .values_list("pk", flat=True)[:limit]
        )
        Account.objects.filter(pk__in=pks).update(rescore_requested_at=now)
    return sorted(pks)


def claim_stale(*, older_than: timedelta, limit: int) -> list[int]:
    """Flag accounts whose newest score is older than `older_than` and that are not flagged already."""
    now = timezone.now()
    with transaction.atomic():
        pks = list(
            Account.objects.select_for_update(no_key=True, skip_locked=True)
            .filter(scored_at__lt=now - older_than, rescore_requested_at__isnull=True)
            .order_by("scored_at", "id")
            .values_list("pk", flat=True)[:limit]
        )
        Account.objects.filter(pk__in=pks).update(rescore_requested_at=now)
    return sorted(pks)


def _rescore(account: Account, *, document: dict, trigger: str, evidence_through: datetime | None = None) -> None:
    score = score_features(features_from_storage(account.signup_features), kind="signup")
    outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
    current = current_score_fields(
        score, outcome, scored_at=timezone.now(), evidence_through=evidence_through or account.evidence_through
    )
    record_score(account, trigger=trigger, outcome=outcome, current=current)
    Account.objects.filter(pk=account.pk).update(**current)
