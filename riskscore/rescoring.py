"""Re-scoring accounts: on request (after a retrain or a policy change) and when new usage evidence arrives.

An account with usage evidence is scored by the account model (signup + usage features as of its newest
event, evidence_through); one without, or any account while no account model is active, by the signup model
on its stored signup features. Status follows the policy's decision unless an analyst has acted on the account.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import Account, AnalystDecision, Trigger, UsageEvent
from accounts.services import current_score_fields, record_score
from riskscore import policy, registry
from riskscore.features.signup import features_from_storage
from riskscore.features.usage import account_features
from riskscore.models import ModelVersion
from riskscore.scoring import Score, score_features

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
    return newest


def accounts_awaiting_rescore(*, older_than: timedelta) -> list[int]:
    """Accounts flagged for a re-score that has not started: a lost task or a broker that was down."""
    cutoff = timezone.now() - older_than
    return list(Account.objects.filter(rescore_requested_at__lte=cutoff).values_list("pk", flat=True)[:10_000])


def _rescore(account: Account, *, document: dict, trigger: str, evidence_through: datetime | None = None) -> None:
    through = evidence_through or account.evidence_through
    score = score_account(account, evidence_through=through)
    outcome = policy.decide(probability=score.probability, pathway=account.pathway, document=document)
    current = current_score_fields(score, outcome, scored_at=timezone.now(), evidence_through=through)
    record_score(account, trigger=trigger, outcome=outcome, current=current)
    acted_on = AnalystDecision.objects.filter(account=account).exclude(action=AnalystDecision.Action.NONE).exists()
    status = {} if acted_on else {"status": outcome.status}
    Account.objects.filter(pk=account.pk).update(**current, **status)


def score_account(account: Account, *, evidence_through: datetime | None) -> Score:
    """The account model on signup and usage features once there is usage evidence, else the signup model."""
    if evidence_through is not None:
        try:
            registry.active_model(ModelVersion.Kind.ACCOUNT)
        except registry.NoActiveModel:
            pass
        else:
            return score_features(account_features(account, at=evidence_through), kind=ModelVersion.Kind.ACCOUNT)
    return score_features(features_from_storage(account.signup_features), kind=ModelVersion.Kind.SIGNUP)
