"""Reads of clusters: lists, one cluster with its members, and the cluster features of accounts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import TypedDict

from django.db.models import Count, Q, QuerySet

from accounts.errors import NotFound
from accounts.models import Label
from clusters.graph.kinds import LinkKind
from clusters.links import SIGHTING_KINDS, column_key
from clusters.models import Cluster, ClusterMember, LinkEvidence
from riskscore.features.identifiers import Identifier

CLUSTER_ORDERINGS = ("score", "size", "last_seen", "first_seen")
CLUSTER_FILTERS = ("band",)


class ClusterFeatures(TypedDict):
    cluster_size: float
    cluster_density: float
    cluster_score: float
    cluster_synchrony: float
    cluster_abusive_share: float  # of the other members, so an account's own label never feeds its score


# Strong kinds without a time window: a signup's value maps to the same column whenever it comes.
TIMELESS_STRONG = (LinkKind.PAYMENT_FINGERPRINT, LinkKind.DEVICE_ID, LinkKind.PHONE, LinkKind.MAILBOX)
NO_CLUSTER = ClusterFeatures(
    cluster_size=0.0, cluster_density=0.0, cluster_score=0.0, cluster_synchrony=0.0, cluster_abusive_share=0.0
)


def live_clusters(*, filters: dict[str, str]) -> QuerySet[Cluster]:
    chosen = {name: value for name, value in filters.items() if name in CLUSTER_FILTERS}
    return Cluster.objects.filter(dissolved_at__isnull=True, **chosen)


def get_cluster(*, cluster_id: str) -> Cluster:
    cluster = Cluster.objects.filter(cluster_id=cluster_id).first()
    if cluster is None:
        raise NotFound(f"no cluster {cluster_id}")
    return cluster


def member_ids(*, clusters: Iterable[Cluster]) -> dict[int, list[str]]:
    """Account ids of each cluster's members, oldest member first."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        ClusterMember.objects.filter(cluster__in=list(clusters))
        .order_by("cluster_id", "joined_at", "account__account_id")
        .values_list("cluster_id", "account__account_id")
    )
    for cluster_pk, account_id in rows:
        found[cluster_pk].append(account_id)
    return found


def signup_cluster_features(*, identifiers: Iterable[Identifier], at: datetime) -> ClusterFeatures:
    """Cluster features of a signup not yet in any cluster: those of the riskiest cluster it would join.

    Looks up the signup's timeless strong identifiers (card, device, phone, mailbox) among the
    link columns of clustered accounts, so an account of a new wave of a known campaign is
    flagged at signup, before the next detection run. One indexed query.
    """
    keys = [
        (SIGHTING_KINDS[i.kind], column_key(SIGHTING_KINDS[i.kind], i.value_key, at))
        for i in identifiers
        if i.kind in SIGHTING_KINDS and SIGHTING_KINDS[i.kind] in TIMELESS_STRONG
    ]
    if not keys:
        return NO_CLUSTER
    matches = Q()
    for kind, key in keys:
        matches |= Q(kind=int(kind), column_key=key)
    sharing = LinkEvidence.objects.filter(matches).values("account_id")
    member = (
        ClusterMember.objects.filter(account_id__in=sharing, cluster__dissolved_at__isnull=True)
        .order_by("-cluster__score", "cluster_id")
        .values_list("account_id", flat=True)
        .first()
    )
    if member is None:
        return NO_CLUSTER
    features = cluster_features([member])[member]
    # The joining account is not yet a member: every current member counts among its "others".
    cluster = ClusterMember.objects.get(account_id=member).cluster
    abusive = cluster.members.filter(account__label=Label.ABUSIVE).count()
    return ClusterFeatures(**{**features, "cluster_abusive_share": abusive / max(1, cluster.members.count())})


def cluster_features(account_pks: Iterable[int]) -> dict[int, ClusterFeatures]:
    """The cluster features of each account (by primary key), zeros for an account in no cluster.

    For the account model: size, density, score and synchrony of the account's current
    cluster, and the share of its other members labelled abusive now.
    """
    pks = list(account_pks)
    features = {pk: NO_CLUSTER for pk in pks}
    memberships = dict(ClusterMember.objects.filter(account_id__in=pks).values_list("account_id", "cluster_id"))
    if not memberships:
        return features
    clusters = Cluster.objects.filter(pk__in=set(memberships.values())).annotate(
        member_count=Count("members"), abusive=Count("members", filter=Q(members__account__label=Label.ABUSIVE))
    )
    by_pk = {cluster.pk: cluster for cluster in clusters}
    own_abusive = set(
        ClusterMember.objects.filter(account_id__in=list(memberships), account__label=Label.ABUSIVE).values_list(
            "account_id", flat=True
        )
    )
    for pk, cluster_pk in memberships.items():
        cluster = by_pk[cluster_pk]
        others = cluster.member_count - 1
        abusive_others = cluster.abusive - (pk in own_abusive)
        features[pk] = ClusterFeatures(
            cluster_size=float(cluster.size),
            cluster_density=float(cluster.features.get("density", 0.0)),
            cluster_score=float(cluster.score),
            cluster_synchrony=float(cluster.features.get("synchrony", 0.0)),
            cluster_abusive_share=abusive_others / others if others > 0 else 0.0,
        )
    return features
