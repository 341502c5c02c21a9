"""Re-scoring accounts: on request (after a retrain or a policy change) and when new usage evidence arrives.

Status is left to analysts' actions and is not changed here. Until the account
model exists, a score comes from the stored signup features; an evidence re-score
records how far the account's usage evidence reaches (evidence_through).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Account, Trigger, UsageEvent
from accounts.services import current_score_fields, record_score
from enforcement.services import Cause, refresh_enforcement
from intel import matching as partner
from riskscore import policy
from riskscore.features.signup import features_from_storage
from riskscore.scoring import score_features

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
            refresh_enforcement(account_pks=[account.pk for account in batch], cause=Cause.RESCORE)
        rescored += len(batch)
        last_pk = batch[-1].pk
    result = {"rescored": rescored}
    if account_ids is not None:
        found = set(Account.objects.filter(account_id__in=account_ids).values_list("account_id", flat=True))
        result["unknown_account_ids"] = sorted(set(account_ids) - found)
    return result


def rescore_for_evidence(*, account_pk: int) -> datetime | None:
    """Re-score an account with every usage event committed so far; returns its evidence_through.

    The pending flag is cleared (and committed) before the events are read, so an
    event committed later flags the account again and gets a re-score of its own.
    """
    Account.objects.filter(pk=account_pk).update(rescore_requested_at=None)
    account = Account.objects.filter(pk=account_pk).first()
    if account is None:
        return None
    newest = UsageEvent.objects.filter(account_id=account_pk).aggregate(newest=Max("timestamp"))["newest"]
    _, document = policy.current_policy.get()
    with transaction.atomic():
        _rescore(account, document=document, trigger=Trigger.USAGE, evidence_through=newest)
        refresh_enforcement(account_pks=[account_pk], cause=Cause.RESCORE)
    return newest


def accounts_awaiting_rescore(*, older_than: timedelta) -> list[int]:
    """Accounts flagged for a re-score that has not started: a lost task or a broker that was down."""
    cutoff = timezone.now() - older_than
    return list(Account.objects.filter(rescore_requested_at__lte=cutoff).values_list("pk", flat=True)[:10_000])


def _rescore(account: Account, *, document: dict, trigger: str, evidence_through: datetime | None = None) -> None:
    features = {**features_from_storage(account.signup_features), partner.FEATURE: partner.account_matches(account)}
    score = score_features(features, kind="signup")
    outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
    score, outcome = partner.flag_partner_match(
        score=score, outcome=outcome, matches=features[partner.FEATURE], pathway=account.pathway, document=document
    )
    current = current_score_fields(
        score, outcome, scored_at=timezone.now(), evidence_through=evidence_through or account.evidence_through
    )
    record_score(account, trigger=trigger, outcome=outcome, current=current)
    Account.objects.filter(pk=account.pk).update(**current)
