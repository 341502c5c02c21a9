"""Re-scoring stored accounts with the active model (after a retrain, a policy change, or on request).

Scores come from each account's stored signup features, so a re-score is
reproducible; status is left to analysts' actions and is not changed here.
"""

from __future__ import annotations

import math

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, ScoreRecord
from riskscore import policy
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
        rescored += len(batch)
        last_pk = batch[-1].pk
    result = {"rescored": rescored}
    if account_ids is not None:
        found = set(Account.objects.filter(account_id__in=account_ids).values_list("account_id", flat=True))
        result["unknown_account_ids"] = sorted(set(account_ids) - found)
    return result


def _rescore(account: Account, *, document: dict, trigger: str) -> None:
    features = {name: math.nan if value is None else value for name, value in account.signup_features.items()}
    score = score_features(features, kind="signup")
    outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
    reasons = [reason.as_dict() for reason in score.reasons]
    now = timezone.now()
    ScoreRecord.objects.create(
        account=account,
        trigger=trigger,
        score=score.probability,
        band=outcome.band,
        decision=outcome.decision,
        verification=outcome.verification,
        reasons=reasons,
        model_version=score.model_version,
        scored_at=now,
        evidence_through=account.evidence_through,
    )
    Account.objects.filter(pk=account.pk).update(
        score=score.probability,
        band=outcome.band,
        decision=outcome.decision,
        reasons=reasons,
        model_version=score.model_version,
        scored_at=now,
    )
