"""The camouflage case, through the public API: an attack mixing ordinary traffic into its usage is still found.

Attackers and bystanders sign up alike — clean, unlinked signups — and everyone sends ordinary
prompts; attackers also harvest with one extraction template on another model, from rotating
addresses, in the same hours. Nothing at signup links them. The replay's actors send it all
(`driver.play`: the signup flow, the gateway that follows enforcement, the operator running
detection every few hours of event time; no analysts), and the operator reads the clusters back.
The gateway only monitors by default (it serves every request): enforcing, it would cut each
attacker off as soon as the account model flags it, and what is measured is cluster detection.
"""

from __future__ import annotations

import math
import random
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from riskscore.replay.driver import ReplaySettings, get_json, new_record, play
from riskscore.replay.gateway import first_restricted
from riskscore.simulator import SimulatedSignup
from riskscore.simulator.prompts import BENIGN_KINDS, generate_prompts
from riskscore.simulator.usage import SimulatedEvent

GROUP = "camouflage"
SIGNUP_SPACING = timedelta(minutes=7)
SIGNUP_LEAD = timedelta(days=3)  # signups start this long before the usage hours


@dataclass(slots=True)
class CamouflageReport:
    attackers: int
    found: int  # attackers in the cluster that holds most of them
    cluster_size: int
    bystanders_in_cluster: int
    cluster_score: float
    cluster_band: str
    found_by: str
    attackers_flagged: int  # in a high or critical cluster at some detection run
    attackers_restricted: int  # restricted or blocked by enforcement (any cause) at some point
    hours_to_flag_median: float | None  # from the first harvesting hour to the run that flagged them
    detection_runs: int


def camouflage_case(
    *,
    seed: int,
    attackers: int = 30,
    bystanders: int = 300,
    hours: int = 24,
    start: datetime = datetime(2026, 4, 1, tzinfo=UTC),
    detect_every_hours: float = 6.0,
    enforce: bool = False,
) -> CamouflageReport:
    """Play the case through the API (after whatever the database already holds) and read the cluster back."""
    rng = random.Random(f"{seed}:camouflage")
    first = start - SIGNUP_LEAD
    signups = [_signup(rng, seed, i, first + i * SIGNUP_SPACING, i < attackers) for i in range(attackers + bystanders)]
    attack_ids = [s.payload["account_id"] for s in signups if s.is_abusive]
    events = _usage(rng, signups, start=start, hours=hours)
    settings = ReplaySettings(
        seed=seed,
        accounts=len(signups),
        start=first,
        days=math.ceil((SIGNUP_LEAD + timedelta(hours=hours)) / timedelta(days=1)),
        detect_every_hours=detect_every_hours,
        label_share=0.0,
        # The case measures cluster detection on the whole attack: the gateway serves every request, as one
        # that only monitors would (enforcing, it cuts each attacker off once the account model flags it).
        enforce=enforce,
    )
    record = new_record(settings, signups, events, actors=f"camouflage-{seed}")
    play(record)

    operator = record.operator
    clusters = Counter(
        cluster_id
        for account_id in attack_ids
        if (cluster_id := get_json(operator, f"/api/v1/accounts/{account_id}")["cluster_id"]) is not None
    )
    flagged = [record.cluster_flagged_at[a] for a in attack_ids if a in record.cluster_flagged_at]
    hours_to_flag = [(at - start).total_seconds() / 3600 for at in flagged]
    report = CamouflageReport(
        attackers=attackers,
        found=0,
        cluster_size=0,
        bystanders_in_cluster=0,
        cluster_score=0.0,
        cluster_band="none",
        found_by="",
        attackers_flagged=len(flagged),
        attackers_restricted=sum(first_restricted(record.gateway.history.get(a, [])) is not None for a in attack_ids),
        hours_to_flag_median=round(statistics.median(hours_to_flag), 1) if hours_to_flag else None,
        detection_runs=len(record.detection_seconds),
    )
    if clusters:
        cluster_id, report.found = clusters.most_common(1)[0]
        cluster = get_json(operator, f"/api/v1/clusters/{cluster_id}")
        report.cluster_size = cluster["size"]
        report.bystanders_in_cluster = len(set(cluster["member_ids"]) - set(attack_ids))
        report.cluster_score = cluster["score"]
        report.cluster_band = cluster["band"]
        report.found_by = cluster["features"].get("found_by", "")
    return report


def _signup(rng: random.Random, seed: int, i: int, at: datetime, attacker: bool) -> SimulatedSignup:
    payload = {
        "account_id": f"camo_{seed}_{i}",
        "email": f"{rng.choice(('alex', 'sam', 'kim', 'lee'))}.{rng.randrange(10**6)}@gmail.com",
        "pathway": "standard",
        "ip": _address(rng),
        "created_at": _iso(at),
    }
    return SimulatedSignup(
        payload=payload,
        population="campaign" if attacker else "individual",
        group=GROUP if attacker else None,
        campaign_style="camouflage" if attacker else None,
        wave=0 if attacker else None,
        is_abusive=attacker,
        persona={},
    )


def _usage(rng: random.Random, signups: list[SimulatedSignup], *, start: datetime, hours: int) -> list[SimulatedEvent]:
    """An ordinary request an hour from everyone; attackers add one harvesting request an hour on another model."""
    harvest = generate_prompts(rng, "campaign_cot_trace", sum(s.is_abusive for s in signups) * hours)
    events = []
    for signup in signups:
        account_id = signup.payload["account_id"]
        for hour in range(hours):
            at = start + timedelta(hours=hour, minutes=rng.randrange(60))
            prompt = generate_prompts(rng, rng.choice(BENIGN_KINDS), 1)[0]
            events.append(_event(rng, account_id, len(events), at, prompt, "frontier-large", start))
            if signup.is_abusive:
                at = start + timedelta(hours=hour, minutes=rng.randrange(60))
                events.append(_event(rng, account_id, len(events), at, harvest.pop(), "frontier-reasoning", start))
    events.sort(key=lambda e: (e.at, e.payload["event_id"]))
    return events


def _event(
    rng: random.Random, account_id: str, n: int, at: datetime, prompt: str, model: str, start: datetime
) -> SimulatedEvent:
    payload = {
        "event_id": f"{account_id}-u{n}",
        "account_id": account_id,
        "timestamp": _iso(at),
        "ip": _address(rng),
        "model": model,
        "input_tokens": max(1, len(prompt) // 4),
        "output_tokens": 800,
        "prompt": prompt,
    }
    return SimulatedEvent(at=int((at - start).total_seconds()), payload=payload, campaign=None)


def _address(rng: random.Random) -> str:
    return f"{rng.randrange(11, 200)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")
