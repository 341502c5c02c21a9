"""Reading what an account's tier follows from, for a batch of accounts in a few queries."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.db.models import (
    DateTimeField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, TruncHour

from accounts.models import Account, AnalystDecision, Label, UsageEvent, UsageHour, cot_column
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
    accounts = list(
        Account.objects.filter(pk__in=account_pks)
        .only(*FACT_FIELDS)
        .annotate(**_cot_counts(document["cot_elicitation"]))
    )
    cluster_ids = {a.cluster_id for a in accounts if a.cluster_id}
    cluster_bands = dict(Cluster.objects.filter(cluster_id__in=cluster_ids).values_list("cluster_id", "band"))
    cleared = _analyst_cleared([a.pk for a in accounts])
    facts = {}
    for account in accounts:
        newest = account.evidence_through or account.created_at
        facts[account.pk] = AccountFacts(
            account_id=account.account_id,
            status=account.status,
            band=account.band,
            decision=account.decision,
            pathway=account.pathway,
            cluster_band=cluster_bands.get(account.cluster_id),
            age_days=max(0.0, (newest - account.created_at).total_seconds() / 86400),
            analyst_cleared=account.pk in cleared,
            cot_events=account.cot_events,
            cot_elicitation_events=account.cot_eliciting,
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


def _cot_counts(cot: dict) -> dict[str, Coalesce]:
    """Annotations of an account: its analysed prompts, and those eliciting chain of thought, in the window before
    its newest reflected evidence (event time). Read from the hourly aggregates for the hours after the window's
    start, and from the events of the hour it starts in from that moment on: exact, since the policy's min_score
    is one of the thresholds the hours count at. Each is an index probe per account, never a scan of its events."""
    start = ExpressionWrapper(
        OuterRef("evidence_through") - timedelta(days=cot["window_days"]), output_field=DateTimeField()
    )
    first_hour = TruncHour(start, tzinfo=UTC)
    later_hours = UsageHour.objects.filter(account_id=OuterRef("pk"), hour__gt=first_hour)
    first_hour_events = UsageEvent.objects.filter(
        account_id=OuterRef("pk"), timestamp__gte=start, timestamp__lt=first_hour + timedelta(hours=1)
    )
    analysed = first_hour_events.filter(cot_elicitation__isnull=False)
    eliciting = first_hour_events.filter(cot_elicitation__gte=cot["min_score"])
    return {
        "cot_events": _total(later_hours, F("analysed")) + _total(analysed, Value(1)),
        "cot_eliciting": _total(later_hours, F(cot_column(cot["min_score"]))) + _total(eliciting, Value(1)),
    }


def _total(rows: QuerySet, value) -> Coalesce:
    """The sum of `value` over the rows of a correlated subquery, 0 when there are none."""
    summed = rows.order_by().annotate(total=Func(value, function="SUM", output_field=IntegerField()))
    return Coalesce(Subquery(summed.values("total")), 0)
