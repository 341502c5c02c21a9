"""Reads behind the console's pages: the review queue, an account's evidence, its links, and the audit log.

Everything here reads; state changes go through accounts.services and console.services.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncDate

from accounts.models import (
    Account,
    AnalystDecision,
    AuditEntry,
    Band,
    Decision,
    IdentifierKind,
    IdentifierSighting,
    ScoreRecord,
    UsageEvent,
)
from clusters.models import Cluster, ClusterMember
from enforcement.models import Enforcement, TierChange
from riskscore.features.usage import COT_HIT

LINKED_ACCOUNTS_SHOWN = 12
TIER_CHANGES_SHOWN = 50
QUEUE_SORTS = {"evidence": ("-latest_evidence", "-id"), "score": ("-score", "-id")}
IDENTIFIER_NAMES = {
    IdentifierKind.PAYMENT_FINGERPRINT: "payment card",
    IdentifierKind.DEVICE_ID: "device",
    IdentifierKind.IP: "IP address",
    IdentifierKind.IP_PREFIX: "network (/24 or /48)",
    IdentifierKind.EMAIL_DOMAIN: "email domain",
    IdentifierKind.ORGANIZATION: "claimed organization",
    IdentifierKind.EMAIL_NORMALIZED: "mailbox (dots and +tags removed)",
    IdentifierKind.PHONE: "phone number",
    IdentifierKind.ACADEMIC_IP_PREFIX: "campus network",
}
# Kinds that tie accounts together; a campus network is a property of a network, not a link.
LINKING_KINDS = tuple(kind for kind in IdentifierKind if kind != IdentifierKind.ACADEMIC_IP_PREFIX)


@dataclass(frozen=True)
class QueueFilters:
    pathway: str = ""
    band: str = ""
    status: str = ""
    cluster: str = ""  # a cluster id, "any" (in some cluster) or "none"
    signup_from: date | None = None
    signup_to: date | None = None
    review: str = "open"  # open (no analyst decision yet), reviewed, all
    sort: str = "evidence"


def _flagged() -> QuerySet[Account]:
    """Accounts that need an analyst: decision review or deny, or band high or critical; `reviewed` once an
    analyst has recorded a decision (the simulator's ground-truth labels are not reviews)."""
    return Account.objects.filter(
        Q(decision__in=[Decision.REVIEW, Decision.DENY]) | Q(band__in=[Band.HIGH, Band.CRITICAL])
    ).annotate(reviewed=Exists(AnalystDecision.objects.filter(account=OuterRef("pk"))))


def review_queue(*, filters: QueueFilters) -> QuerySet[Account]:
    accounts = _flagged().defer("signup_features").annotate(latest_evidence=Coalesce("evidence_through", "created_at"))
    for name in ("pathway", "band", "status"):
        if getattr(filters, name):
            accounts = accounts.filter(**{name: getattr(filters, name)})
    if filters.cluster == "any":
        accounts = accounts.filter(cluster_id__isnull=False)
    elif filters.cluster == "none":
        accounts = accounts.filter(cluster_id__isnull=True)
    elif filters.cluster:
        accounts = accounts.filter(cluster_id=filters.cluster)
    if filters.signup_from:
        accounts = accounts.filter(created_at__date__gte=filters.signup_from)
    if filters.signup_to:
        accounts = accounts.filter(created_at__date__lte=filters.signup_to)
    if filters.review == "open":
        accounts = accounts.filter(reviewed=False)
    elif filters.review == "reviewed":
        accounts = accounts.filter(reviewed=True)
    return accounts.order_by(*QUEUE_SORTS.get(filters.sort, QUEUE_SORTS["evidence"]))


def queue_counts() -> dict[str, int]:
    return (
        _flagged()
        .filter(reviewed=False)
        .aggregate(
            open=Count("id"),
            critical=Count("id", filter=Q(band=Band.CRITICAL)),
            in_clusters=Count("id", filter=Q(cluster_id__isnull=False)),
        )
    )


def score_history(*, account: Account) -> list[ScoreRecord]:
    return list(account.scores.order_by("scored_at", "id"))


@dataclass(frozen=True)
class UsageDay:
    day: date
    events: int
    tokens: int
    cot_share: float
    categories: dict[str, int]


@dataclass(frozen=True)
class ModelAdoption:
    model: str
    first_used: datetime
    last_used: datetime
    events: int
    share: float


@dataclass(frozen=True)
class UsageSummary:
    days: list[UsageDay]
    models: list[ModelAdoption]
    total_events: int
    cot_share: float
    categories: dict[str, int]


def usage_summary(*, account: Account) -> UsageSummary:
    """Usage per day by event time: volume, capability mix, chain-of-thought-elicitation share, and models used."""
    events = UsageEvent.objects.filter(account=account)
    elicits = Case(When(cot_elicitation__gte=COT_HIT, then=Value(1.0)), default=Value(0.0))
    per_day = (
        events.annotate(day=TruncDate("timestamp"))
        .values("day")
        .annotate(
            events=Count("id"),
            tokens=Sum(F("input_tokens") + F("output_tokens")),
            cot_share=Avg(elicits, output_field=FloatField()),
        )
        .order_by("day")
    )
    categories_by_day: dict[date, dict[str, int]] = defaultdict(dict)
    rows = events.annotate(day=TruncDate("timestamp")).values("day", "category").annotate(n=Count("id"))
    for row in rows:
        categories_by_day[row["day"]][row["category"] or "unknown"] = row["n"]
    days = [
        UsageDay(
            day=row["day"],
            events=row["events"],
            tokens=row["tokens"] or 0,
            cot_share=row["cot_share"] or 0.0,
            categories=categories_by_day[row["day"]],
        )
        for row in per_day
    ]
    total = sum(day.events for day in days)
    models = [
        ModelAdoption(
            model=row["model"],
            first_used=row["first"],
            last_used=row["last"],
            events=row["n"],
            share=row["n"] / total if total else 0.0,
        )
        for row in events.values("model")
        .annotate(first=Min("timestamp"), last=Max("timestamp"), n=Count("id"))
        .order_by("first")
    ]
    categories: dict[str, int] = defaultdict(int)
    for day in days:
        for name, n in day.categories.items():
            categories[name] += n
    cot = sum(day.cot_share * day.events for day in days) / total if total else 0.0
    return UsageSummary(
        days=days,
        models=models,
        total_events=total,
        cot_share=cot,
        categories=dict(sorted(categories.items(), key=lambda item: -item[1])),
    )


@dataclass(frozen=True)
class LinkedIdentifier:
    kind: str
    first_seen: datetime
    other_accounts: int
    shown: list[Account] = field(default_factory=list)


def linked_identifiers(*, account: Account) -> list[LinkedIdentifier]:
    """Each identifier of the account (by kind: the hashed value means nothing to a person) and who else had it."""
    sightings = (
        IdentifierSighting.objects.filter(account=account, kind__in=LINKING_KINDS)
        .values("kind", "value_key")
        .annotate(first=Min("seen_at"))
        .order_by("kind")
    )
    linked = []
    for sighting in sightings:
        others = (
            IdentifierSighting.objects.filter(kind=sighting["kind"], value_key=sighting["value_key"])
            .exclude(account=account)
            .values("account_id")
            .distinct()
        )
        count = others.count()
        shown = list(
            Account.objects.filter(pk__in=others.values("account_id")[:LINKED_ACCOUNTS_SHOWN]).order_by("created_at")
        )
        linked.append(
            LinkedIdentifier(
                kind=IDENTIFIER_NAMES[sighting["kind"]],
                first_seen=sighting["first"],
                other_accounts=count,
                shown=shown,
            )
        )
    return sorted(linked, key=lambda item: -item.other_accounts)


def gateway_state(*, account: Account) -> tuple[Enforcement | None, list[TierChange]]:
    """What the gateway enforces for the account now, and its tier changes with their causes, newest first."""
    state = Enforcement.objects.filter(account=account).first()
    return state, list(account.tier_changes.order_by("-changed_at", "-id")[:TIER_CHANGES_SHOWN])


def decision_history(*, account: Account) -> list[AnalystDecision]:
    return list(account.decisions.order_by("-created_at", "-id"))


def cluster_of(*, account: Account) -> Cluster | None:
    membership = ClusterMember.objects.filter(account=account).select_related("cluster").first()
    if membership:
        return membership.cluster
    if account.cluster_id:
        return Cluster.objects.filter(cluster_id=account.cluster_id).first()
    return None


@dataclass(frozen=True)
class AuditFilters:
    query: str = ""
    action: str = ""
    object_type: str = ""
    actor: str = ""


def audit_log(*, filters: AuditFilters) -> QuerySet[AuditEntry]:
    """Audit entries newest first; the query matches actor, action, object and detail text."""
    entries = AuditEntry.objects.all()
    if filters.action:
        entries = entries.filter(action__startswith=filters.action)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.actor:
        entries = entries.filter(actor__icontains=filters.actor)
    if filters.query:
        entries = entries.annotate(detail_text=Cast("detail", TextField())).filter(
            Q(actor__icontains=filters.query)
            | Q(action__icontains=filters.query)
            | Q(object_id__icontains=filters.query)
            | Q(detail_text__icontains=filters.query)
        )
    return entries.order_by("-at", "-id")
