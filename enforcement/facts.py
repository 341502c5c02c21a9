"""Reading what an account's tier follows from, for a batch of accounts in a few queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, F, Q

from accounts.models import Account, AnalystDecision, Label, UsageEvent
from clusters.models import Cluster
from enforcement.policy import AccountFacts

FACT_FIELDS = (
    "pk",
    "account_id",
    "status",
    "band",
    "decision",
    "pathway",
    "cluster_id",
    "created_at",
    "evidence_through",
)
CLEARING_ACTIONS = {AnalystDecision.Action.RESTORE.value}


def gather_facts(*, account_pks: list[int], document: dict) -> dict[int, AccountFacts]:
    accounts = list(Account.objects.filter(pk__in=account_pks).only(*FACT_FIELDS))
    cluster_ids = {a.cluster_id for a in accounts if a.cluster_id}
    cluster_bands = dict(Cluster.objects.filter(cluster_id__in=cluster_ids).values_list("cluster_id", "band"))
    cleared = _analyst_cleared([a.pk for a in accounts])
    cot_counts = _cot_counts([a.pk for a in accounts if a.evidence_through], cot=document["cot_elicitation"])
    facts = {}
    for account in accounts:
        newest = account.evidence_through or account.created_at
        events, eliciting = cot_counts.get(account.pk, (0, 0))
        facts[account.pk] = AccountFacts(
            account_id=account.account_id,
            status=account.status,
            band=account.band,
            decision=account.decision,
            pathway=account.pathway,
            cluster_band=cluster_bands.get(account.cluster_id),
            age_days=max(0.0, (newest - account.created_at).total_seconds() / 86400),
            analyst_cleared=account.pk in cleared,
            cot_events=events,
            cot_elicitation_events=eliciting,
        )
    return facts


def new_account_facts(account: Account) -> AccountFacts:
    """A signup's facts, from the account in hand: nothing has happened to it yet."""
    return AccountFacts(
        account_id=account.account_id,
        status=account.status,
        band=account.band,
        decision=account.decision,
        pathway=account.pathway,
        cluster_band=None,
        age_days=0.0,
        analyst_cleared=False,
        cot_events=0,
        cot_elicitation_events=0,
    )


def _analyst_cleared(account_pks: list[int]) -> set[int]:
    """Accounts whose latest analyst decision that said anything restored them or labelled them legitimate."""
    latest: dict[int, tuple[str, str | None]] = {}
    decisions = (
        AnalystDecision.objects.filter(account_id__in=account_pks)
        .exclude(action=AnalystDecision.Action.NONE, label__isnull=True)
        .order_by("account_id", "created_at", "id")
        .values_list("account_id", "action", "label")
    )
    for account_pk, action, label in decisions:
        latest[account_pk] = (action, label)
    return {
        pk
        for pk, (action, label) in latest.items()
        if action in CLEARING_ACTIONS or (label == Label.LEGITIMATE and action == AnalystDecision.Action.NONE)
    }


def _cot_counts(account_pks: list[int], *, cot: dict) -> dict[int, tuple[int, int]]:
    """Per account: analysed prompts, and those eliciting chain of thought, in the window before its newest
    reflected evidence (event time), in one query for the batch."""
    if not account_pks:
        return {}
    rows = (
        UsageEvent.objects.filter(
            account_id__in=account_pks,
            timestamp__gte=F("account__evidence_through") - timedelta(days=cot["window_days"]),
        )
        .values("account_id")
        .annotate(
            events=Count("id", filter=Q(cot_elicitation__isnull=False)),
            eliciting=Count("id", filter=Q(cot_elicitation__gte=cot["min_score"])),
        )
    )
    return {row["account_id"]: (row["events"], row["eliciting"]) for row in rows}
