"""How well detection finds the simulator's campaigns, replayed in event time as they would arrive live.

`replay` registers the simulated signups step by step (through the signup service, as
the API does), lets analysts label a share of accounts some hours after they sign up,
runs detection after each step, and records when each account was first in a cluster
of band high or critical. `camouflage_case` checks that an attack mixing ordinary
traffic into its usage is still found.
"""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account, Label
from accounts.services import register_signup
from clusters.models import Cluster, ClusterMember
from clusters.services import detect_clusters
from riskscore.simulation import signup_input
from riskscore.simulator import simulate_signups
from riskscore.simulator.prompts import BENIGN_KINDS, generate_prompts

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
class ReplayReport:
    accounts: int
    steps: int
    campaigns: list[CampaignResult]
    legitimate_groups: dict[str, tuple[int, int, int]]  # population -> (groups, clustered, flagged)
    legitimate_accounts_flagged: float
    hours_to_flag_new_wave: list[float] = field(default_factory=list)
    never_flagged_new_wave: int = 0
    detection_seconds: list[float] = field(default_factory=list)


def replay(
    *,
    seed: int,
    accounts: int,
    days: int,
    step_hours: float = 6.0,
    label_delay_hours: float = 48.0,
    label_share: float = 0.3,
    start: datetime = datetime(2026, 1, 5, tzinfo=UTC),
    progress: Callable[[str], object] = lambda _: None,
) -> ReplayReport:
    signups = simulate_signups(seed=seed, accounts=accounts, start=start, days=days)
    rng = random.Random(f"{seed}:analysts")
    reviewed = {s.payload["account_id"] for s in signups if rng.random() < label_share}
    truth = {s.payload["account_id"]: s for s in signups}
    pk_of: dict[str, int] = {}
    created: dict[str, datetime] = {}
    flagged_at: dict[str, datetime] = {}
    known_from: dict[str, datetime] = {}  # campaign -> when analysts first labelled one of its accounts
    pending_labels: list[tuple[datetime, str]] = []
    report = ReplayReport(
        accounts=len(signups), steps=0, campaigns=[], legitimate_groups={}, legitimate_accounts_flagged=0
    )

    step = timedelta(hours=step_hours)
    cursor, index = start + step, 0
    end = start + timedelta(days=days) + step
    while cursor <= end:
        while index < len(signups) and signup_input(signups[index].payload).created_at < cursor:
            signup = signups[index]
            account = register_signup(signup=signup_input(signup.payload)).account
            pk_of[account.account_id], created[account.account_id] = account.pk, account.created_at
            if account.account_id in reviewed:
                pending_labels.append((account.created_at + timedelta(hours=label_delay_hours), account.account_id))
            index += 1
        due = [account_id for at, account_id in pending_labels if at < cursor]
        pending_labels = [(at, account_id) for at, account_id in pending_labels if at >= cursor]
        _label(due, truth)
        for account_id in due:
            if truth[account_id].is_abusive:
                known_from.setdefault(truth[account_id].group, cursor)
        result = detect_clusters()
        report.detection_seconds.append(result.summary.get("seconds", 0.0))
        flagged = ClusterMember.objects.filter(cluster__band__in=FLAGGED_BANDS).values_list(
            "account__account_id", flat=True
        )
        for account_id in flagged:
            flagged_at.setdefault(account_id, cursor)
        report.steps += 1
        if report.steps % 20 == 0:
            progress(f"  {cursor:%Y-%m-%d %H:%M}: {index} signups, {result.clusters} clusters")
        cursor += step

    for account_id, signup in truth.items():
        campaign = signup.group
        if not signup.is_abusive or campaign not in known_from or created[account_id] < known_from[campaign]:
            continue
        if account_id in flagged_at:
            report.hours_to_flag_new_wave.append((flagged_at[account_id] - created[account_id]).total_seconds() / 3600)
        else:
            report.never_flagged_new_wave += 1
    _final_quality(report, truth)
    return report


def _label(account_ids: list[str], truth: dict) -> None:
    """Analysts' labels, as the decisions API stores them (label only, no action)."""
    for label in (Label.ABUSIVE, Label.LEGITIMATE):
        chosen = [a for a in account_ids if truth[a].is_abusive == (label == Label.ABUSIVE)]
        Account.objects.filter(account_id__in=chosen).update(label=label, label_source="evaluation-analyst")


def _final_quality(report: ReplayReport, truth: dict) -> None:
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
    for population in LEGITIMATE_GROUPS:
        groups: dict[str, list[str]] = defaultdict(list)
        for account_id, signup in truth.items():
            if signup.population == population and signup.group:
                groups[signup.group].append(account_id)
        clustered = sum(1 for ids in groups.values() if any(a in cluster_of for a in ids))
        flagged = sum(1 for ids in groups.values() if any(a in flagged_accounts for a in ids))
        report.legitimate_groups[population] = (len(groups), clustered, flagged)
    legitimate = [a for a, s in truth.items() if not s.is_abusive]
    report.legitimate_accounts_flagged = sum(1 for a in legitimate if a in flagged_accounts) / max(1, len(legitimate))


@dataclass(slots=True)
class CamouflageReport:
    attackers: int
    found: int  # attackers in the cluster that holds most of them
    cluster_size: int
    cluster_score: float
    cluster_band: str
    found_by: str


def camouflage_case(*, seed: int, attackers: int = 30, bystanders: int = 300, hours: int = 24) -> CamouflageReport:
    """Attackers with clean signups whose usage mixes ordinary prompts with one extraction template in step.

    Everyone — bystanders and attackers — sends ordinary traffic; attackers also harvest with one
    template on one model, from rotating addresses, in the same hours. Nothing at signup links them.
    """
    rng = random.Random(f"{seed}:camouflage")
    start = datetime(2026, 4, 1, tzinfo=UTC)
    accounts = []
    for i in range(attackers + bystanders):
        payload = {
            "account_id": f"camo_{seed}_{i}",
            "email": f"{rng.choice(('alex', 'sam', 'kim', 'lee'))}.{rng.randrange(10**6)}@gmail.com",
            "pathway": "standard",
            "ip": f"{rng.randrange(11, 200)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
            "created_at": (start - timedelta(days=3, minutes=i * 7)).isoformat(),
        }
        accounts.append(register_signup(signup=signup_input(payload)).account)
    attack_ids = {a.account_id for a in accounts[:attackers]}
    harvest = generate_prompts(rng, "campaign_cot_trace", attackers * hours)
    events: list[EventInput] = []
    for account in accounts:
        for hour in range(hours):
            at = start + timedelta(hours=hour, minutes=rng.randrange(60))
            kind = rng.choice(BENIGN_KINDS)
            events.append(_event(rng, account.account_id, at, generate_prompts(rng, kind, 1)[0], "frontier-large"))
            if account.account_id in attack_ids:
                at = start + timedelta(hours=hour, minutes=rng.randrange(60))
                events.append(_event(rng, account.account_id, at, harvest.pop(), "frontier-reasoning"))
    for begin in range(0, len(events), 1000):
        batch = [EventInput(index=i, **e) for i, e in enumerate(events[begin : begin + 1000])]
        ingest_events(batch, invalid=[], request_rescores=lambda _: None)
    detect_clusters()
    clusters = Counter(
        Account.objects.filter(account_id__in=attack_ids, cluster_id__isnull=False).values_list("cluster_id", flat=True)
    )
    if not clusters:
        return CamouflageReport(attackers, 0, 0, 0.0, "none", "")
    cluster_id, found = clusters.most_common(1)[0]
    cluster = Cluster.objects.get(cluster_id=cluster_id)
    return CamouflageReport(
        attackers, found, cluster.size, cluster.score, cluster.band, cluster.features.get("found_by", "")
    )


def _event(rng: random.Random, account_id: str, at: datetime, prompt: str, model: str) -> dict:
    return {
        "event_id": f"{account_id}:{at.isoformat()}:{rng.randrange(10**9)}",
        "account_id": account_id,
        "timestamp": at,
        "ip": f"{rng.randrange(11, 200)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
        "model": model,
        "input_tokens": len(prompt) // 4,
        "output_tokens": 800,
        "prompt": prompt,
    }


def summarise(hours: list[float]) -> tuple[float, float]:
    if not hours:
        return float("nan"), float("nan")
    ordered = sorted(hours)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
