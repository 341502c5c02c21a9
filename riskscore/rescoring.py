"""Re-scoring accounts: on request (after a retrain or a policy change) and when new usage evidence arrives.

An account with usage evidence is scored by the account model (signup + usage features as of its newest
event, evidence_through); one without, or any account while no account model is active, by the signup model
on its stored signup features. Status follows the policy's decision unless an analyst has acted on the account.
Re-scores run in batches: one transaction, usage features read for the whole batch, one batched predict per
model kind, and the history rows, current scores and statuses written together.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from accounts.models import Account, AnalystDecision, Trigger, UsageEvent
from accounts.services import Rescore, current_score_fields, record_rescores
from enforcement.services import Cause, refresh_enforcement
from intel import matching as partner
from riskscore import policy, registry
from riskscore.features.signup import features_from_storage
from riskscore.features.usage import account_features_many
from riskscore.models import ModelVersion
from riskscore.scoring import Score, score_many

BATCH = 500


def rescore_accounts(*, account_ids: list[str] | None, trigger: str) -> dict:
    """Re-score the given accounts (all when None); unknown ids are reported, not fatal.

    Each keeps the evidence it was last scored with; re-score flags are left for the evidence re-score.
    """
    queryset = Account.objects.order_by("pk")
    if account_ids is not None:
        queryset = queryset.filter(account_id__in=account_ids)
    _, document = policy.current_policy.get()
    rescored, last_pk = 0, 0
    while batch := list(queryset.filter(pk__gt=last_pk)[:BATCH]):
        with transaction.atomic():
            through = {account.pk: account.evidence_through for account in batch}
            rescores = _rescores(batch, evidence_through=through, document=document, trigger=lambda _: trigger)
            record_rescores(rescores, clear_flags=False)
            refresh_enforcement(account_pks=[account.pk for account in batch], cause=Cause.RESCORE)
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
    predict per model kind, their history rows written and their flags cleared together. A worker killed
    half-way rolls it all back, so the accounts stay flagged and a redelivered task re-scores them; a task
    delivered twice finds them unflagged and does nothing. Ingest flags under the same row locks, so an event
    committed while this runs waits for it, then flags the account again for a re-score of its own.
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
        through = {account.pk: newest.get(account.pk) or account.evidence_through for account in accounts}
        previous = {account.pk: account.evidence_through for account in accounts}

        def trigger(account: Account) -> str:
            grew = through[account.pk] is not None and through[account.pk] != previous[account.pk]
            return Trigger.USAGE if grew else Trigger.PERIODIC

        _, document = policy.current_policy.get()
        record_rescores(_rescores(accounts, evidence_through=through, document=document, trigger=trigger))
        refresh_enforcement(account_pks=[account.pk for account in accounts], cause=Cause.RESCORE)
    return len(accounts)


def _rescores(accounts: list[Account], *, evidence_through: dict, document: dict, trigger) -> list[Rescore]:
    # Partner indicators cost no query while none were imported.
    matches = partner.accounts_matches(accounts)
    scores = score_accounts(accounts, evidence_through=evidence_through, partner_matches=matches)
    acted_on = set(
        AnalystDecision.objects.filter(account_id__in=[account.pk for account in accounts])
        .exclude(action=AnalystDecision.Action.NONE)
        .values_list("account_id", flat=True)
    )
    scored_at = timezone.now()
    rescores = []
    for account, score in zip(accounts, scores, strict=True):
        outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
        score, outcome = partner.flag_partner_match(
            score=score, outcome=outcome, matches=matches[account.pk], pathway=account.pathway, document=document
        )
        current = current_score_fields(
            score, outcome, scored_at=scored_at, evidence_through=evidence_through[account.pk]
        )
        status = None if account.pk in acted_on else outcome.status
        rescores.append(Rescore(account, trigger(account), outcome, current, status))
    return rescores


def score_accounts(
    accounts: list[Account],
    *,
    evidence_through: dict[int, datetime | None],
    partner_matches: dict[int, int] | None = None,
) -> list[Score]:
    """Scores in the accounts' order: the account model on signup, usage and cluster features (clusters as
    known now) for those with usage evidence (while an account model is active), the signup model for the rest;
    one predict per kind. Both see the accounts' current partner-indicator matches."""
    try:
        registry.active_model(ModelVersion.Kind.ACCOUNT)
    except registry.NoActiveModel:
        with_usage = []
    else:
        with_usage = [account for account in accounts if evidence_through[account.pk] is not None]
    scores: dict[int, Score] = {}
    matches = partner_matches or {}
    if with_usage:
        features = account_features_many(with_usage, at={a.pk: evidence_through[a.pk] for a in with_usage})
        rows = [{**features[account.pk], partner.FEATURE: matches.get(account.pk, 0)} for account in with_usage]
        for account, score in zip(with_usage, score_many(rows, kind=ModelVersion.Kind.ACCOUNT), strict=True):
            scores[account.pk] = score
    signup_only = [account for account in accounts if account.pk not in scores]
    rows = [
        {**features_from_storage(account.signup_features), partner.FEATURE: matches.get(account.pk, 0)}
        for account in signup_only
    ]
    for account, score in zip(signup_only, score_many(rows, kind=ModelVersion.Kind.SIGNUP), strict=True):
        scores[account.pk] = score
    return [scores[account.pk] for account in accounts]


def spaced_rescores(*, account_pks: list[int], min_interval: float) -> tuple[list[int], list[int], float]:
    """Split accounts to re-score into those due now and those re-scored on usage evidence less than `min_interval`
    seconds ago; returns (due, waiting, seconds until the last of the waiting ones is due)."""
    if min_interval <= 0 or not account_pks:
        return account_pks, [], 0.0
    now = timezone.now()
    recent = dict(
        Account.objects.filter(
            pk__in=account_pks, evidence_through__isnull=False, scored_at__gt=now - timedelta(seconds=min_interval)
        ).values_list("pk", "scored_at")
    )
    if not recent:
        return account_pks, [], 0.0
    due = [pk for pk in account_pks if pk not in recent]
    waiting = [pk for pk in account_pks if pk in recent]
    return due, waiting, max(scored_at for scored_at in recent.values()).timestamp() + min_interval - now.timestamp()


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
