"""The replay's report: detection (issue 3), clusters (issue 4) and enforcement at the gateway (issue 7).

Every figure is given for the held-out time slice (the whole replay: another seed, later than the
baseline's training data; the held-out campaign style left out) and for the held-out campaign
style on its own (HELD_OUT_CAMPAIGN, flagged `held_out_style` in per-campaign rows). Times are
event times; tiers over time come from the gateway's own view (TierChange.changed_at is wall clock).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import datetime, timedelta

import numpy as np

from accounts.models import Account, Decision, ScoreRecord, Trigger
from clusters.evaluation import cluster_quality, flagged_at_any_run, new_wave_delays, summarise
from clusters.models import ClusterMember
from enforcement.models import Reasoning, Tier
from riskscore.evaluation import LOW_FRICTION_PATHWAYS, recall_at_low_friction_fpr
from riskscore.replay.driver import ReplayRecord
from riskscore.replay.gateway import OUTCOMES, SERVED, first_restricted, tier_at
from riskscore.simulator import SimulatedSignup
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN

MODEL_FLAGS = (Decision.REVIEW, Decision.DENY)
AGES_DAYS = (0, 1, 3, 7, 14)
TIERS = [tier.value for tier in Tier]
LEGITIMATE_POPULATIONS = ("student", "researcher", "startup", "individual", "enterprise")


def population_of(signup: SimulatedSignup) -> str:
    """A legitimate account's population, or an abusive one's campaign."""
    return (signup.group or "campaign") if signup.is_abusive else signup.population


def build_report(record: ReplayRecord) -> dict:
    truth = {s.payload["account_id"]: s for s in record.signups}
    accounts = {a.account_id: a for a in Account.objects.only("account_id", "pathway", "score", "created_at")}
    created = {account_id: account.created_at for account_id, account in accounts.items()}
    model_flagged_at = _first_model_flags(accounts)
    gateway_restricted_at = {
        account_id: at for account_id, timeline in record.gateway.history.items() if (at := first_restricted(timeline))
    }
    return {
        "settings": {
            "seed": record.settings.seed,
            "accounts": record.settings.accounts,
            "start": record.settings.start.isoformat(),
            "days": record.settings.days,
            "usage_scale": record.settings.scale,
            "detect_every_hours": record.settings.detect_every_hours,
            "label_share": record.settings.label_share,
            "label_delay_hours": record.settings.label_delay_hours,
            "gateway_limits": record.settings.apply_limits,
            "gateway_enforces": record.settings.enforce,
        },
        "accounts": len(accounts),
        "abusive": sum(s.is_abusive for s in truth.values()),
        "usage_events_simulated": len(record.events),
        "usage_events_served": sum(r.outcome == SERVED for r in record.gateway.requests),
        "analyst_reviews": record.analysts.labelled,
        "detection_runs": len(record.detection_seconds),
        "detection_seconds_median": round(statistics.median(record.detection_seconds), 2),
        "detection_seconds_max": round(max(record.detection_seconds), 2),
        "detection": _detection(record, truth, accounts, model_flagged_at),
        "clusters": _clusters(record, truth, created, gateway_restricted_at),
        "enforcement": _enforcement(record, truth, created, gateway_restricted_at),
    }


# ---- issue 3: how fast the models and the policy catch campaigns ---------------------------------------------------


def _detection(record: ReplayRecord, truth: dict, accounts: dict, flagged_at: dict[str, datetime]) -> dict:
    ids = list(accounts)
    labels = np.array([truth[a].is_abusive for a in ids], dtype=int)
    scores = np.array([accounts[a].score for a in ids])
    pathways = np.array([accounts[a].pathway for a in ids])
    held_out = np.array([truth[a].group == HELD_OUT_CAMPAIGN for a in ids])
    flags = np.array([a in flagged_at for a in ids])
    legit_low = (labels == 0) & np.isin(pathways, LOW_FRICTION_PATHWAYS)
    time_slice, style = ~held_out, held_out | (labels == 0)
    # A monitoring gateway serves everything: "served before flag" is then every request sent before the flag.
    requests, served_before = Counter(), Counter()
    for request in record.gateway.requests:
        campaign = truth[request.account_id].group if truth[request.account_id].is_abusive else None
        if campaign:
            requests[campaign] += 1
            flag = flagged_at.get(request.account_id)
            served_before[campaign] += request.outcome == SERVED and (flag is None or request.at < flag)
    campaigns = {}
    for campaign, members in _campaign_members(truth).items():
        delays = [_hours(accounts[m].created_at, flagged_at[m]) for m in members if m in flagged_at]
        first_signup = min(accounts[m].created_at for m in members)
        first_flag = min((flagged_at[m] for m in members if m in flagged_at), default=None)
        campaigns[campaign] = {
            "accounts": len(members),
            "flagged_share": round(len(delays) / len(members), 3),
            "hours_signup_to_flag_median": round(statistics.median(delays), 1) if delays else None,
            "hours_to_first_flagged_account": _hours(first_signup, first_flag) if first_flag else None,
            "requests": requests[campaign],
            "share_of_requests_served_before_flag": round(served_before[campaign] / max(1, requests[campaign]), 3),
            "held_out_style": campaign == HELD_OUT_CAMPAIGN,
        }
    return {
        "flag": "the first review or deny decision of the models and policy, at its event time",
        "recall_at_1pct_fpr_low_friction": {
            "time_slice": recall_at_low_friction_fpr(labels[time_slice], scores[time_slice], pathways[time_slice]),
            "held_out_style": recall_at_low_friction_fpr(labels[style], scores[style], pathways[style]),
        },
        "flagged_share_abusive": {
            "time_slice": _share(flags[(labels == 1) & ~held_out]),
            "held_out_style": _share(flags[(labels == 1) & held_out]),
        },
        "flagged_share_legitimate_low_friction": _share(flags[legit_low], digits=4),
        "campaigns": campaigns,
    }


def _first_model_flags(accounts: dict) -> dict[str, datetime]:
    """Per account id, the event time of its first review or deny: signup time, or the scored evidence's newest."""
    id_of = {account.pk: account_id for account_id, account in accounts.items()}
    flags: dict[str, datetime] = {}
    rows = ScoreRecord.objects.filter(decision__in=MODEL_FLAGS).values_list(
        "account_id", "trigger", "evidence_through", "account__created_at"
    )
    for account_pk, trigger, evidence_through, created_at in rows.iterator(chunk_size=5000):
        at = created_at if trigger == Trigger.SIGNUP or evidence_through is None else evidence_through
        account_id = id_of[account_pk]
        if account_id not in flags or at < flags[account_id]:
            flags[account_id] = at
    return flags


# ---- issue 4: campaigns found as clusters ---------------------------------------------------------------------------


def _clusters(record: ReplayRecord, truth: dict, created: dict, restricted_at: dict) -> dict:
    quality = cluster_quality(truth)
    known = record.analysts.known_from
    found_by = _found_by(truth)

    def new_waves(flagged_at: dict[str, datetime], held_out: bool) -> dict:
        chosen = {a: s for a, s in truth.items() if (s.group == HELD_OUT_CAMPAIGN) == held_out}
        delays = new_wave_delays(chosen, created=created, flagged_at=flagged_at, known_from=known)
        median, p90 = summarise(delays.hours_to_flag)
        flagged = len(delays.hours_to_flag)
        return {
            "accounts": flagged + delays.never_flagged,
            "flagged": flagged,
            "hours_signup_to_flag_median": None if np.isnan(median) else round(median, 1),
            "hours_signup_to_flag_p90": None if np.isnan(p90) else round(p90, 1),
        }

    return {
        "flag": "member of a cluster of band high or critical at a detection run",
        "campaigns": {
            c.campaign_id: {
                "accounts": c.accounts,
                "clusters": c.clusters,
                "purity": round(c.purity, 3),
                "coverage": round(c.coverage, 3),
                "flagged_share": round(c.flagged, 3),
                "accounts_by_search": dict(sorted(found_by[c.campaign_id].items())),
                "held_out_style": c.campaign_id == HELD_OUT_CAMPAIGN,
            }
            for c in quality.campaigns
        },
        "legitimate_groups": {
            population: {"groups": groups, "clustered": clustered, "flagged": flagged}
            for population, (groups, clustered, flagged) in quality.legitimate_groups.items()
        },
        "legitimate_accounts_in_flagged_clusters": round(quality.legitimate_accounts_flagged, 4),
        "legitimate_in_flagged_cluster_at_any_run": flagged_at_any_run(truth, record.cluster_flagged_at),
        "campaigns_known_from": {c: at.isoformat() for c, at in sorted(known.items())},
        "new_waves": {
            "note": "accounts signing up after analysts first labelled one of their campaign abusive",
            "cluster_flag": {
                "time_slice": new_waves(record.cluster_flagged_at, held_out=False),
                "held_out_style": new_waves(record.cluster_flagged_at, held_out=True),
                "resolution_hours": record.settings.detect_every_hours,
            },
            "restricted_at_gateway": {
                "time_slice": new_waves(restricted_at, held_out=False),
                "held_out_style": new_waves(restricted_at, held_out=True),
            },
        },
    }


def _found_by(truth: dict) -> dict[str, Counter]:
    """Per campaign, its clustered accounts by the search that found their cluster: strong links (components)
    or the camouflage-resistant dense-block search."""
    found: dict[str, Counter] = defaultdict(Counter)
    rows = ClusterMember.objects.values_list("account__account_id", "cluster__features__found_by")
    for account_id, search in rows.iterator(chunk_size=5000):
        signup = truth.get(account_id)
        if signup is not None and signup.is_abusive:
            found[signup.group or "campaign"][search or "unknown"] += 1
    return found


# ---- issue 7: tiers per population over time, and reasoning served to campaigns ----------------------------------


def _enforcement(record: ReplayRecord, truth: dict, created: dict, restricted_at: dict) -> dict:
    end = record.settings.end
    by_population: dict[str, list[str]] = defaultdict(list)
    for account_id, signup in truth.items():
        by_population[population_of(signup)].append(account_id)
    order = [p for p in LEGITIMATE_POPULATIONS if p in by_population] + sorted(
        p for p in by_population if p not in LEGITIMATE_POPULATIONS
    )
    tiers = {}
    for population in order:
        ages = {}
        for days in AGES_DAYS:
            counts = Counter()
            for account_id in by_population[population]:
                at = created[account_id] + timedelta(days=days)
                if at <= end:
                    counts[tier_at(record.gateway.history.get(account_id, []), at) or "unknown"] += 1
            total = sum(counts.values())
            if total:
                ages[str(days)] = {"accounts": total, **{t: round(counts[t] / total, 3) for t in TIERS}}
                if counts["unknown"]:
                    ages[str(days)]["unknown"] = round(counts["unknown"] / total, 3)
        tiers[population] = ages
    return {
        "tiers_by_account_age_days": tiers,
        "requests": _requests_by_population(record, truth, order),
        "campaign_output_tokens": _campaign_tokens(record, truth, restricted_at),
    }


def _requests_by_population(record: ReplayRecord, truth: dict, order: list[str]) -> dict:
    """Per population, the share of its requests served or refused (and why), of served ones with full reasoning,
    and of requests sent while the gateway held the account blocked (a monitoring gateway serves those too)."""
    outcomes: dict[str, Counter] = defaultdict(Counter)
    full, while_blocked = Counter(), Counter()
    for request in record.gateway.requests:
        population = population_of(truth[request.account_id])
        outcomes[population][request.outcome] += 1
        full[population] += request.outcome == SERVED and request.reasoning == Reasoning.FULL
        while_blocked[population] += request.tier == Tier.BLOCKED
    figures = {}
    for population in order:
        counts = outcomes[population]
        total = sum(counts.values())
        if total:
            figures[population] = {
                "requests": total,
                **{outcome: round(counts[outcome] / total, 4) for outcome in OUTCOMES},
                "served_with_full_reasoning": round(full[population] / max(1, counts[SERVED]), 4),
                "sent_while_blocked": round(while_blocked[population] / total, 4),
            }
    return figures


def _campaign_tokens(record: ReplayRecord, truth: dict, restricted_at: dict[str, datetime]) -> dict:
    """Per campaign, output tokens asked for, served, served with full reasoning, and that before restriction."""
    tokens: dict[str, Counter] = defaultdict(Counter)
    for request in record.gateway.requests:
        signup = truth[request.account_id]
        if not signup.is_abusive:
            continue
        counts = tokens[signup.group or "campaign"]
        counts["requested"] += request.output_tokens
        if request.outcome != SERVED:
            continue
        counts["served"] += request.output_tokens
        if request.reasoning == Reasoning.FULL:
            counts["full"] += request.output_tokens
            restricted = restricted_at.get(request.account_id)
            counts["full_before_restricted"] += request.output_tokens * (restricted is None or request.at < restricted)
    return {campaign: _token_shares(tokens[campaign], campaign) for campaign in _campaign_members(truth)}


def _token_shares(counts: Counter, campaign: str) -> dict:
    asked = max(1, counts["requested"])
    return {
        "output_tokens_requested": counts["requested"],
        "served_share": round(counts["served"] / asked, 3),
        "served_with_full_reasoning_share": round(counts["full"] / asked, 3),
        "full_reasoning_before_restricted_share": round(counts["full_before_restricted"] / asked, 3),
        "held_out_style": campaign == HELD_OUT_CAMPAIGN,
    }


# ---- helpers --------------------------------------------------------------------------------------------------------


def _campaign_members(truth: dict) -> dict[str, list[str]]:
    members: dict[str, list[str]] = defaultdict(list)
    for account_id, signup in truth.items():
        if signup.is_abusive:
            members[signup.group or "campaign"].append(account_id)
    return dict(sorted(members.items()))


def _hours(start: datetime, end: datetime) -> float:
    return round((end - start).total_seconds() / 3600, 1)


def _share(flags: np.ndarray, digits: int = 3) -> float | None:
    return round(float(flags.mean()), digits) if len(flags) else None
