"""State changes of clusters: a detection run, and acting on a whole cluster at once.

`detect_clusters` reads new evidence into the link graph, runs a detector over it,
scores the groups, and stores them as clusters that keep their ids while they are
the same campaign (matched by member overlap). It returns the accounts whose
cluster or cluster band changed, for enforcement and re-scoring to follow.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import NotFound
from accounts.ingest import flag_for_rescore
from accounts.models import Account
from accounts.services import DecisionInput, record_decision
from accounts.tasks import request_rescores
from clusters.graph.detector import InProcessDetector
from clusters.graph.model import DetectedGroup, EvidenceGraph, GraphDetector
from clusters.links import ReadThrough, update_link_graph
from clusters.loading import load_graph
from clusters.models import Cluster, ClusterMember, ClusterState, DetectionRun, MembershipChange
from clusters.scoring import cluster_score
from enforcement.services import Cause, refresh_enforcement
from riskscore import policy

# An old cluster lends its id to a new group holding at least this share of either's members.
SAME_CLUSTER_OVERLAP = 0.5
# A score moving less than this is not a change worth telling anyone about.
SCORE_CHANGE = 0.01
CHUNK = 2000


@dataclass(slots=True)
class DetectionResult:
    run_id: int
    clusters: int
    changed_account_ids: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def detect_clusters(*, detector: GraphDetector | None = None) -> DetectionResult:
    """One detection run over all the evidence; safe to run again (a second run changes nothing new)."""
    started, clock = timezone.now(), time.perf_counter()
    previous = DetectionRun.objects.filter(finished_at__isnull=False).order_by("-started_at", "-id").first()
    since = ReadThrough(
        sightings=previous.sightings_through if previous else 0,
        usage=previous.usage_through if previous else 0,
        accounts=previous.accounts_through if previous else 0,
    )
    through = update_link_graph(since=since)
    graph = load_graph()
    loaded = time.perf_counter()
    groups = (detector or InProcessDetector()).detect(graph)
    detected = time.perf_counter()
    with transaction.atomic():
        _lock_detection()
        changed, stats = store_clusters(graph, groups, now=timezone.now())
        # Members move together at the gateway, committed with the clusters that moved them.
        refresh_enforcement(account_pks=sorted(changed), cause=Cause.CLUSTER)
        # Their cluster features changed: the account model re-scores them, coalesced with pending re-scores.
        to_rescore = flag_for_rescore(sorted(changed))
        transaction.on_commit(lambda: request_rescores(to_rescore))
        run = DetectionRun.objects.create(
            started_at=started,
            finished_at=timezone.now(),
            sightings_through=through.sightings,
            usage_through=through.usage,
            accounts_through=through.accounts,
            summary={
                "accounts_linked": graph.n_accounts,
                "columns": graph.n_columns,
                "links": len(graph.rows),
                **stats,
                "load_seconds": round(loaded - clock, 3),
                "detect_seconds": round(detected - loaded, 3),
                "seconds": round(time.perf_counter() - clock, 3),
            },
        )
    changed_ids = sorted(Account.objects.filter(pk__in=changed).values_list("account_id", flat=True))
    return DetectionResult(
        run_id=run.pk, clusters=stats["clusters"], changed_account_ids=changed_ids, summary=run.summary
    )


def _lock_detection() -> None:
    """One run stores clusters at a time (SQLite serialises writers by itself)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('clusters.detect'))")


def _band(score: float, thresholds: dict) -> str:
    band = policy.BANDS[0]
    for candidate in policy.BANDS[1:]:
        if score >= thresholds[candidate]:
            band = candidate
    return band


def _at(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, tz=UTC)


def store_clusters(graph: EvidenceGraph, groups: list[DetectedGroup], *, now: datetime) -> tuple[set[int], dict]:
    """Match groups to the clusters of the last run, write them, and return the accounts that changed.

    What changed is also kept as history (MembershipChange, ClusterState) at the event time of the newest
    evidence in the graph, so the account model's training rows see clusters only as they were known then.
    """
    known_at = _at(float(graph.seen.max())) if len(graph.seen) else now
    _, document = policy.current_policy.get()
    thresholds = document["default"]["band_thresholds"]
    previous = {m.account_id: m for m in ClusterMember.objects.all()}
    live = {c.pk: c for c in Cluster.objects.filter(dissolved_at__isnull=True)}
    old_size = Counter(m.cluster_id for m in previous.values())
    old_members: dict[int, set[int]] = {}
    for pk, member in previous.items():
        old_members.setdefault(member.cluster_id, set()).add(pk)

    member_pks = [graph.account_keys[group.members] for group in groups]
    matched = _match(member_pks, previous, old_size)
    kept: set[int] = set()
    changed: set[int] = set()
    created: list[tuple[Cluster, np.ndarray, np.ndarray]] = []
    updated: list[tuple[Cluster, np.ndarray, np.ndarray]] = []
    for index, (group, pks) in enumerate(zip(groups, member_pks, strict=True)):
        score = cluster_score(group.features)
        band = _band(score, thresholds)
        cluster = live.get(matched.get(index))
        fields = {
            "score": round(score, 4),
            "band": band,
            "size": len(pks),
            "links": group.links,
            "features": {**group.features, "found_by": group.found_by},
            "first_seen": _at(float(group.joined.min())),
            "last_seen": _at(group.last_seen),
        }
        if cluster is None:
            cluster = Cluster(cluster_id=f"cl_{secrets.token_hex(5)}", changed_at=now, **fields)
            created.append((cluster, pks, group.joined))
            changed.update(int(pk) for pk in pks)
            continue
        kept.add(cluster.pk)
        moved = old_members.get(cluster.pk, set()) != {int(pk) for pk in pks}
        if cluster.band != band:
            changed.update(int(pk) for pk in pks)
        if moved or cluster.band != band or abs(cluster.score - fields["score"]) >= SCORE_CHANGE:
            fields["changed_at"] = now
        for name, value in fields.items():
            setattr(cluster, name, value)
        updated.append((cluster, pks, group.joined))
    Cluster.objects.bulk_create([cluster for cluster, _, _ in created], batch_size=CHUNK)
    Cluster.objects.bulk_update(
        [cluster for cluster, _, _ in updated],
        ["score", "band", "size", "links", "features", "first_seen", "last_seen", "changed_at"],
        batch_size=CHUNK,
    )
    membership: dict[int, tuple[Cluster, float]] = {}
    for cluster, pks, joined in created + updated:
        for pk, at in zip(pks.tolist(), joined.tolist(), strict=True):
            membership[pk] = (cluster, at)

    Cluster.objects.filter(pk__in=set(live) - kept).update(size=0, dissolved_at=now, changed_at=now)
    changed |= _write_members(previous, membership, known_at=known_at)
    ClusterState.objects.bulk_create(
        (
            ClusterState(
                cluster=cluster,
                known_at=known_at,
                size=cluster.size,
                score=cluster.score,
                density=float(cluster.features.get("density", 0.0)),
                synchrony=float(cluster.features.get("synchrony", 0.0)),
            )
            for cluster, _, _ in created + updated
            if cluster.changed_at == now
        ),
        batch_size=CHUNK,
    )
    stats = {
        "clusters": len(groups),
        "clustered_accounts": len(membership),
        "dissolved": len(set(live) - kept),
        "accounts_changed": len(changed),
    }
    return changed, stats


def _match(member_pks: list[np.ndarray], previous: dict, old_size: Counter) -> dict[int, int]:
    """Group index → old cluster pk, greedily by overlap; each old cluster lends its id once."""
    candidates = []
    for index, pks in enumerate(member_pks):
        overlap = Counter(previous[int(pk)].cluster_id for pk in pks if int(pk) in previous)
        for cluster_pk, shared in overlap.items():
            if shared >= SAME_CLUSTER_OVERLAP * min(len(pks), old_size[cluster_pk]):
                candidates.append((shared, -index, cluster_pk))
    matched: dict[int, int] = {}
    used: set[int] = set()
    for _, negative_index, cluster_pk in sorted(candidates, reverse=True):
        index = -negative_index
        if index in matched or cluster_pk in used:
            continue
        matched[index] = cluster_pk
        used.add(cluster_pk)
    return matched


def _write_members(previous: dict, membership: dict[int, tuple[Cluster, float]], *, known_at: datetime) -> set[int]:
    """Members who stay keep their joined_at; the rest are moved, added or removed, each change kept as history.
    Returns who changed cluster."""
    leaving = [pk for pk, m in previous.items() if pk not in membership or membership[pk][0].pk != m.cluster_id]
    arriving = [pk for pk, (cluster, _) in membership.items() if pk in leaving or pk not in previous]
    for start in range(0, len(leaving), CHUNK):
        ClusterMember.objects.filter(account_id__in=leaving[start : start + CHUNK]).delete()
    ClusterMember.objects.bulk_create(
        (ClusterMember(cluster=membership[pk][0], account_id=pk, joined_at=_at(membership[pk][1])) for pk in arriving),
        batch_size=CHUNK,
    )
    MembershipChange.objects.bulk_create(
        (
            MembershipChange(account_id=pk, cluster=membership[pk][0] if pk in membership else None, known_at=known_at)
            for pk in set(leaving) | set(arriving)
        ),
        batch_size=CHUNK,
    )
    by_cluster: dict[str | None, list[int]] = {}
    for pk in leaving:
        if pk not in membership:
            by_cluster.setdefault(None, []).append(pk)
    for pk in arriving:
        by_cluster.setdefault(membership[pk][0].cluster_id, []).append(pk)
    for cluster_id, pks in by_cluster.items():
        for start in range(0, len(pks), CHUNK):
            Account.objects.filter(pk__in=pks[start : start + CHUNK]).update(cluster_id=cluster_id)
    return set(leaving) | set(arriving)


@dataclass(frozen=True, slots=True)
class ClusterAction:
    cluster_id: str
    action: str  # suspend or ban
    label: str | None
    note: str


def act_on_cluster(*, action: ClusterAction, actor: str) -> list[str]:
    """Apply one decision to every current member: one audit entry per account, the cluster as the reason."""
    cluster = Cluster.objects.filter(cluster_id=action.cluster_id, dissolved_at__isnull=True).first()
    if cluster is None:
        raise NotFound(f"no cluster {action.cluster_id}")
    member_ids = list(
        Account.objects.filter(cluster_membership__cluster=cluster)
        .order_by("account_id")
        .values_list("account_id", flat=True)
    )
    reason = f"cluster {cluster.cluster_id} (score {cluster.score:.2f}, {cluster.size} accounts)"
    note = f"{reason}: {action.note}" if action.note else reason
    with transaction.atomic():
        for account_id in member_ids:
            record_decision(
                decision=DecisionInput(account_id=account_id, label=action.label, action=action.action, note=note),
                actor=actor,
            )
    return member_ids
