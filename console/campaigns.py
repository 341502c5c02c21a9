"""Reads behind the cluster page: members, the identifiers that tie them, and the waves they arrived in.

Identifiers are shown by kind and a letter (payment card A, device B): the stored values are
keyed hashes, meaningless to a person, and the raw values are personal data.
"""

from __future__ import annotations

import string
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import QuerySet

from accounts.models import Account, IdentifierSighting
from clusters.models import Cluster, ClusterMember
from console.selectors import IDENTIFIER_NAMES, LINKING_KINDS

# Above this the drawing is a hairball; the tables stay complete.
MAX_GRAPH_MEMBERS = 400
# Arrivals further apart than this start a new wave.
WAVE_GAP = timedelta(hours=6)


def clusters_by_score() -> QuerySet[Cluster]:
    return Cluster.objects.order_by("-score", "-id")


def cluster_members(*, cluster: Cluster) -> list[ClusterMember]:
    return list(cluster.members.select_related("account").order_by("joined_at", "id"))


@dataclass(frozen=True)
class SharedIdentifier:
    key: str  # stable within the page: "payment card A"
    kind: str
    members: list[Account]
    first_seen: datetime
    last_seen: datetime


def _letters(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = string.ascii_uppercase[rest] + letters
    return letters


def shared_identifiers(*, members: list[ClusterMember]) -> list[SharedIdentifier]:
    """Identifiers seen on two or more members, most shared first."""
    accounts = {member.account_id: member.account for member in members}
    holders: dict[tuple[int, int], set[int]] = defaultdict(set)
    seen: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    sightings = IdentifierSighting.objects.filter(account_id__in=list(accounts), kind__in=LINKING_KINDS).values_list(
        "kind", "value_key", "account_id", "seen_at"
    )
    for kind, value_key, account_id, seen_at in sightings.iterator(chunk_size=5000):
        holders[(kind, value_key)].add(account_id)
        seen[(kind, value_key)].append(seen_at)
    shared = sorted(
        ((key, ids) for key, ids in holders.items() if len(ids) >= 2), key=lambda item: (-len(item[1]), item[0])
    )
    per_kind: dict[int, int] = defaultdict(int)
    result = []
    for (kind, value_key), ids in shared:
        name = IDENTIFIER_NAMES[kind]
        result.append(
            SharedIdentifier(
                key=f"{name} {_letters(per_kind[kind])}",
                kind=name,
                members=sorted((accounts[i] for i in ids), key=lambda account: account.created_at),
                first_seen=min(seen[(kind, value_key)]),
                last_seen=max(seen[(kind, value_key)]),
            )
        )
        per_kind[kind] += 1
    return result


@dataclass(frozen=True)
class Wave:
    number: int
    start: datetime
    end: datetime
    members: int


def waves(*, members: list[ClusterMember]) -> list[Wave]:
    """Runs of arrivals (by the event time each member joined) with no gap longer than WAVE_GAP."""
    result: list[Wave] = []
    start = previous = None
    count = 0
    for member in sorted(members, key=lambda m: m.joined_at):
        if previous is not None and member.joined_at - previous > WAVE_GAP:
            result.append(Wave(number=len(result) + 1, start=start, end=previous, members=count))
            start, count = None, 0
        start = start or member.joined_at
        previous = member.joined_at
        count += 1
    if count:
        result.append(Wave(number=len(result) + 1, start=start, end=previous, members=count))
    return result
