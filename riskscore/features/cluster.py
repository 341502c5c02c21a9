"""Cluster features of the account model: the account's own cluster, and the riskiest cluster it is linked to.

Scoring reads what is known now (current memberships and clusters, every label analysts gave); training reads
the history detection keeps (MembershipChange, ClusterState) and only labels given before each row's time, so
a cluster found, or a label given, after a row's event time never reaches that row. An account in no cluster
yet is linked through its own signup identifiers and busiest prompt templates, turned into link columns here,
so a new account of a known campaign gets the signal on its first re-score, not after the next detection run.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from accounts.models import Account, AnalystDecision, IdentifierKind, IdentifierSighting, Label, UsageAccountTemplate
from clusters.graph.kinds import RULES, LinkKind
from clusters.links import SIGHTING_KINDS, column_key, domain_links
from clusters.models import Cluster, ClusterMember, ClusterState, LinkEvidence, MembershipChange

MEMBERSHIP_FEATURES = (
    "cluster_size",
    "cluster_density",
    "cluster_score",
    "cluster_synchrony",
    "cluster_abusive_share",  # of the other members, so an account's own label never feeds its score
)
LINKED_FEATURES = ("linked_cluster_score", "linked_cluster_members", "linked_cluster_abusive_share")
CLUSTER_FEATURES: tuple[str, ...] = MEMBERSHIP_FEATURES + LINKED_FEATURES

# Only the account's busiest templates are looked up on other accounts: a bounded read per re-score.
LINKED_TEMPLATES = 3
TEMPLATES_READ = 3 * LINKED_TEMPLATES  # busiest by total requests; those first used after `at` are skipped
# Columns that say nothing about one account on their own: activity buckets, a real university's domain.
NOT_LINKING = (LinkKind.SYNCHRONY, LinkKind.ACTIVITY, LinkKind.ACADEMIC_DOMAIN)
ALWAYS = datetime.min.replace(tzinfo=UTC)  # what is known now holds for every moment


@dataclass(frozen=True, slots=True)
class ClusterFacts:
    size: int
    score: float
    density: float
    synchrony: float


@dataclass(slots=True)
class Knowledge:
    """What was known, and since when (event time), about memberships, clusters and abusive labels."""

    memberships: dict[int, list[tuple[datetime, int | None]]]  # account pk -> [(known_at, cluster pk or None)]
    clusters: dict[int, list[tuple[datetime, ClusterFacts]]]
    labels: dict[int, list[tuple[datetime, bool]]]  # account pk -> [(given_at, abusive?)], oldest first
    members_of: dict[int, set[int]]  # cluster pk -> its members (ever, for history) that analysts labelled


def cluster_features_many(
    accounts: list[Account], *, at: dict[int, datetime], as_known_then: bool = False
) -> dict[int, dict[str, float]]:
    """Cluster features of each account as of its event time `at[pk]`, from a fixed number of queries.

    `as_known_then` (training): clusters and labels as known at `at[pk]`; otherwise (scoring) as known now.
    """
    if not accounts:
        return {}
    pks = [account.pk for account in accounts]
    columns = _own_columns(pks, at=at)
    until = max(at.values()) if as_known_then else None
    sharers = _sharers(columns, until=until)
    knowledge = _known(pks + [pk for rows in sharers.values() for pk, _ in rows], until=until)
    result = {}
    for pk in pks:
        when = at[pk] if as_known_then else None
        # Seen by `when` (training); what is known now includes everything.
        latest_seen = when.timestamp() if when is not None else float("inf")
        linked = defaultdict(set)
        for column in columns.get(pk, ()):
            for other, seen in sharers.get(column, ()):
                if other == pk or seen > latest_seen:
                    continue
                cluster = _latest(knowledge.memberships.get(other, []), when)
                if cluster is not None:
                    linked[cluster].add(other)
        result[pk] = _features(pk, linked, knowledge, when)
    return result


def _features(pk: int, linked: dict[int, set[int]], knowledge: Knowledge, when: datetime | None) -> dict[str, float]:
    features = dict.fromkeys(CLUSTER_FEATURES, 0.0)
    own = _latest(knowledge.memberships.get(pk, []), when)
    facts = _latest(knowledge.clusters.get(own, []), when) if own is not None else None
    if facts is not None:
        features.update(
            cluster_size=float(facts.size),
            cluster_density=facts.density,
            cluster_score=facts.score,
            cluster_synchrony=facts.synchrony,
            cluster_abusive_share=_abusive_share(own, facts, pk, knowledge, when),
        )
    scored = [(_latest(knowledge.clusters.get(c, []), when), c) for c in linked]
    scored = [(facts, c) for facts, c in scored if facts is not None]
    if scored:
        facts, riskiest = max(scored, key=lambda item: (item[0].score, len(linked[item[1]]), -item[1]))
        features.update(
            linked_cluster_score=facts.score,
            linked_cluster_members=float(len(linked[riskiest])),
            linked_cluster_abusive_share=_abusive_share(riskiest, facts, pk, knowledge, when),
        )
    return features


def _abusive_share(cluster: int, facts: ClusterFacts, pk: int, knowledge: Knowledge, when: datetime | None) -> float:
    """Share of the cluster's members other than `pk` whose newest label by `when` is abusive."""
    others = facts.size - (_latest(knowledge.memberships.get(pk, []), when) == cluster)
    abusive = sum(
        1
        for member in knowledge.members_of.get(cluster, ())
        if member != pk
        and _latest(knowledge.labels.get(member, []), when, strictly_before=True)
        and _latest(knowledge.memberships.get(member, []), when) == cluster
    )
    return min(1.0, abusive / others) if others > 0 else 0.0


def _latest(timeline: list[tuple[datetime, object]], when: datetime | None, *, strictly_before: bool = False):
    """The newest value known at `when` (everything when None), or None."""
    if not timeline:
        return None
    if when is None:
        return timeline[-1][1]
    times = [t for t, _ in timeline]
    index = (bisect_left(times, when) if strictly_before else bisect_right(times, when)) - 1
    return timeline[index][1] if index >= 0 else None


def _own_columns(pks: list[int], *, at: dict[int, datetime]) -> dict[int, set[tuple[int, int]]]:
    """The link columns each account is in by its `at`: from its signup identifiers and busiest templates, as
    detection would file them (LinkEvidence is written only when detection runs)."""
    latest = max(at.values())
    columns: dict[int, set[tuple[int, int]]] = defaultdict(set)
    domains = []
    sightings = IdentifierSighting.objects.filter(account_id__in=pks, seen_at__lte=latest).values_list(
        "account_id", "kind", "value_key", "seen_at"
    )
    for pk, kind, value_key, seen_at in sightings:
        if seen_at > at[pk]:
            continue
        if kind == IdentifierKind.EMAIL_DOMAIN:
            domains.append((pk, value_key, seen_at))
        elif kind in SIGHTING_KINDS:
            link_kind = SIGHTING_KINDS[kind]
            columns[pk].add((int(link_kind), column_key(link_kind, value_key, seen_at)))
    for pk, kind, key, _ in domain_links(domains):
        columns[pk].add((int(kind), key))
    # Campaigns vary their payloads, so an account may have thousands of templates: only the busiest few are read.
    busiest = Window(RowNumber(), partition_by=F("account_id"), order_by=(F("requests").desc(), F("fingerprint")))
    rows = (
        UsageAccountTemplate.objects.filter(account_id__in=pks, first_seen__lte=latest)
        .annotate(rank=busiest)
        .filter(rank__lte=TEMPLATES_READ)
        .order_by("account_id", "rank")
        .values_list("account_id", "fingerprint", "first_seen")
    )
    templates = defaultdict(list)
    for pk, fingerprint, first_seen in rows:
        if first_seen <= at[pk] and len(templates[pk]) < LINKED_TEMPLATES:
            templates[pk].append(fingerprint)
            columns[pk].add((int(LinkKind.TEMPLATE), column_key(LinkKind.TEMPLATE, fingerprint, first_seen)))
    for pk in list(columns):
        columns[pk] = {(kind, key) for kind, key in columns[pk] if LinkKind(kind) not in NOT_LINKING}
    return columns


def _sharers(
    columns: dict[int, set[tuple[int, int]]], *, until: datetime | None
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """The accounts in each column that were ever in a cluster (by `until`, or now), with when they were first
    seen there (Unix seconds, as LinkEvidence keeps it). Columns above their kind's size cap (a university's
    network, a popular template) are infrastructure, not a campaign, and left out; they are counted in the
    index, and only the clustered sharers are read."""
    wanted = {column for owned in columns.values() for column in owned}
    if not wanted:
        return {}
    sizes = _in_columns(wanted).values_list("kind", "column_key").annotate(accounts=Count("column_key")).order_by()
    telling = {(kind, key) for kind, key, n in sizes if n <= RULES[LinkKind(kind)].max_accounts}
    if not telling:
        return {}
    if until is None:
        clustered = Exists(ClusterMember.objects.filter(account_id=OuterRef("account_id")))
    else:
        clustered = Exists(
            MembershipChange.objects.filter(
                account_id=OuterRef("account_id"), cluster__isnull=False, known_at__lte=until
            )
        )
    found = defaultdict(list)
    for kind, key, pk, seen_at in (
        _in_columns(telling).filter(clustered).values_list("kind", "column_key", "account_id", "seen_at")
    ):
        found[(kind, key)].append((pk, seen_at))
    return found


def _in_columns(columns: set[tuple[int, int]]) -> QuerySet:
    """The link evidence in these (kind, key) columns."""
    by_kind = defaultdict(set)
    for kind, key in columns:
        by_kind[kind].add(key)
    # One index condition per kind: with the kinds and keys as two lists, PostgreSQL reads all of each kind.
    matches = Q()
    for kind, keys in by_kind.items():
        matches |= Q(kind=kind, column_key__in=keys)
    return LinkEvidence.objects.filter(matches)


def _known(pks: list[int], *, until: datetime | None) -> Knowledge:
    """Memberships of these accounts, facts of their clusters, and those clusters' labelled members with their
    labels: as known now (`until` None), or their history up to `until`."""
    accounts = set(pks)
    if until is None:
        memberships = {
            pk: [(ALWAYS, cluster)]
            for pk, cluster in ClusterMember.objects.filter(account_id__in=accounts).values_list(
                "account_id", "cluster_id"
            )
        }
        cluster_pks = {timeline[0][1] for timeline in memberships.values()}
        clusters = {
            cluster.pk: [(ALWAYS, _facts(cluster))]
            for cluster in Cluster.objects.filter(pk__in=cluster_pks, dissolved_at__isnull=True)
        }
        members = ClusterMember.objects.filter(cluster_id__in=list(clusters), account__decisions__label__isnull=False)
        members_of = defaultdict(set)
        for cluster, member in members.values_list("cluster_id", "account_id").distinct():
            members_of[cluster].add(member)
        labelled = {member for held in members_of.values() for member in held}
        memberships.update({member: [(ALWAYS, c)] for c, held in members_of.items() for member in held})
    else:
        memberships = _membership_history(accounts, until=until)
        cluster_pks = {cluster for timeline in memberships.values() for _, cluster in timeline if cluster is not None}
        clusters = defaultdict(list)
        states = ClusterState.objects.filter(cluster_id__in=cluster_pks, known_at__lte=until).order_by("known_at", "id")
        for state in states:
            clusters[state.cluster_id].append(
                (state.known_at, ClusterFacts(state.size, state.score, state.density, state.synchrony))
            )
        members_of = defaultdict(set)
        rows = MembershipChange.objects.filter(
            cluster_id__in=cluster_pks, known_at__lte=until, account__decisions__label__isnull=False
        )
        for cluster, member in rows.values_list("cluster_id", "account_id").distinct():
            members_of[cluster].add(member)
        labelled = {member for held in members_of.values() for member in held}
        memberships.update(_membership_history(labelled - accounts, until=until))
    return Knowledge(memberships, dict(clusters), _labels(labelled, until=until), members_of)


def _membership_history(pks: set[int], *, until: datetime) -> dict[int, list[tuple[datetime, int | None]]]:
    history = defaultdict(list)
    rows = MembershipChange.objects.filter(account_id__in=pks, known_at__lte=until).order_by("known_at", "id")
    for pk, known_at, cluster in rows.values_list("account_id", "known_at", "cluster_id"):
        history[pk].append((known_at, cluster))
    return history


def _labels(pks: set[int], *, until: datetime | None) -> dict[int, list[tuple[datetime, bool]]]:
    """The labels analysts gave these accounts, oldest first (the simulator's ground truth is not one)."""
    decisions = AnalystDecision.objects.filter(account_id__in=pks, label__isnull=False)
    if until is not None:
        decisions = decisions.filter(created_at__lte=until)
    labels = defaultdict(list)
    for pk, given_at, label in decisions.order_by("created_at", "id").values_list("account_id", "created_at", "label"):
        labels[pk].append((given_at, label == Label.ABUSIVE))
    return labels


def _facts(cluster: Cluster) -> ClusterFacts:
    return ClusterFacts(
        size=cluster.size,
        score=cluster.score,
        density=float(cluster.features.get("density", 0.0)),
        synchrony=float(cluster.features.get("synchrony", 0.0)),
    )
