"""How well detection finds the simulator's campaigns: the cluster figures of the replay (`manage.py replay`).

`cluster_quality` reads the clusters a replay left (purity, coverage, legitimate groups
flagged) and `new_wave_delays` times how fast new waves of known campaigns are flagged. The
camouflage case is a replay of its own (`riskscore.replay.camouflage`).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from clusters.models import Cluster, ClusterMember
from riskscore.simulator import SimulatedSignup

FLAGGED_BANDS = ("high", "critical")
LEGITIMATE_GROUPS = ("student", "researcher", "startup")  # classes, labs and startup teams


@dataclass(slots=True)
class CampaignResult:
    campaign_id: str
    accounts: int
    clusters: int  # clusters in which this campaign is the majority
    purity: float  # share of those clusters' members that belong to the campaign
    coverage: float  # share of the campaign's accounts in those clusters
    flagged: float  # share of the campaign's accounts in a flagged cluster


@dataclass(slots=True)
class ClusterQuality:
    campaigns: list[CampaignResult]
    legitimate_groups: dict[str, tuple[int, int, int]]  # population -> (groups, clustered, flagged)
    legitimate_accounts_flagged: float


@dataclass(slots=True)
class NewWaveDelays:
    """Accounts that signed up after analysts first labelled one of their campaign's accounts abusive."""

    hours_to_flag: list[float]
    never_flagged: int


def new_wave_delays(
    truth: dict[str, SimulatedSignup],
    *,
    created: dict[str, datetime],
    flagged_at: dict[str, datetime],
    known_from: dict[str, datetime],
) -> NewWaveDelays:
    """Hours from signup to flag of each new-wave account of a known campaign (by account id)."""
    delays = NewWaveDelays(hours_to_flag=[], never_flagged=0)
    for account_id, signup in truth.items():
        campaign = signup.group
        if not signup.is_abusive or campaign not in known_from or created[account_id] < known_from[campaign]:
            continue
        if account_id in flagged_at:
            delays.hours_to_flag.append((flagged_at[account_id] - created[account_id]).total_seconds() / 3600)
        else:
            delays.never_flagged += 1
    return delays


def cluster_quality(truth: dict[str, SimulatedSignup]) -> ClusterQuality:
    """Per campaign purity, coverage and flagged share, and legitimate groups flagged, from the clusters now."""
    report = ClusterQuality(campaigns=[], legitimate_groups={}, legitimate_accounts_flagged=0.0)
    clusters = {c.pk: c for c in Cluster.objects.filter(dissolved_at__isnull=True)}
    members: dict[int, list[str]] = defaultdict(list)
    for cluster_pk, account_id in ClusterMember.objects.values_list("cluster_id", "account__account_id"):
        members[cluster_pk].append(account_id)

    def owner(account_id: str) -> str:
        signup = truth[account_id]
        return signup.group if signup.is_abusive else f"legitimate:{signup.population}"

    campaign_sizes = Counter(s.group for s in truth.values() if s.is_abusive)
    majority: dict[str, list[int]] = defaultdict(list)
    for cluster_pk, ids in members.items():
        top, _ = Counter(owner(a) for a in ids).most_common(1)[0]
        majority[top].append(cluster_pk)
    flagged_accounts = {a for pk, ids in members.items() if clusters[pk].band in FLAGGED_BANDS for a in ids}
    for campaign, size in sorted(campaign_sizes.items()):
        held = [a for pk in majority.get(campaign, []) for a in members[pk]]
        own = sum(1 for a in held if owner(a) == campaign)
        in_flagged = sum(1 for a, s in truth.items() if s.group == campaign and s.is_abusive and a in flagged_accounts)
        report.campaigns.append(
            CampaignResult(
                campaign_id=campaign,
                accounts=size,
                clusters=len(majority.get(campaign, [])),
                purity=own / len(held) if held else 0.0,
                coverage=own / size,
                flagged=in_flagged / size,
            )
        )
    cluster_of = {a: pk for pk, ids in members.items() for a in ids}
    for population, groups in legitimate_groups(truth).items():
        clustered = sum(1 for ids in groups.values() if any(a in cluster_of for a in ids))
        flagged = sum(1 for ids in groups.values() if any(a in flagged_accounts for a in ids))
        report.legitimate_groups[population] = (len(groups), clustered, flagged)
    report.legitimate_accounts_flagged = legitimate_share(truth, flagged_accounts)
    return report


def legitimate_groups(truth: dict[str, SimulatedSignup]) -> dict[str, dict[str, list[str]]]:
    """Per legitimate population (classes, labs, startups), its groups' account ids."""
    groups: dict[str, dict[str, list[str]]] = {population: defaultdict(list) for population in LEGITIMATE_GROUPS}
    for account_id, signup in truth.items():
        if signup.population in groups and signup.group:
            groups[signup.population][signup.group].append(account_id)
    return groups


def legitimate_share(truth: dict[str, SimulatedSignup], accounts: set[str] | dict) -> float:
    """Share of the legitimate accounts that are among `accounts`."""
    legitimate = [a for a, s in truth.items() if not s.is_abusive]
    return sum(1 for a in legitimate if a in accounts) / max(1, len(legitimate))


def flagged_at_any_run(truth: dict[str, SimulatedSignup], flagged_at: dict[str, datetime]) -> dict:
    """Legitimate groups with a member, and legitimate accounts, in a flagged cluster at some detection run
    (the figures above read the clusters after the last run; a cluster may be flagged for a while and not now)."""
    groups = {
        population: sum(1 for ids in by_group.values() if any(a in flagged_at for a in ids))
        for population, by_group in legitimate_groups(truth).items()
    }
    return {"groups": groups, "accounts": round(legitimate_share(truth, flagged_at), 4)}


def summarise(hours: list[float]) -> tuple[float, float]:
    if not hours:
        return float("nan"), float("nan")
    ordered = sorted(hours)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
