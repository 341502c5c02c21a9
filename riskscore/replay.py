"""Replay evaluation: a simulated population's signups and usage sent in time order through the public HTTP API.

The requests go through Django's test client — the real URL routing, authentication, serializers, ingest and
signup code — with Celery tasks run eagerly, so every usage batch is re-scored as soon as it is accepted. That
makes detection times a property of the models and the policy, not of how busy a worker was on this machine.
Usage is sent as a gateway would: batches of at most 1,000 events covering at most BATCH_SPAN of event time.

Reported: recall at 1% false-positive rate on legitimate low-friction accounts (final scores), the policy's own
flag rates, and per campaign the time from signup to the first flag (a review or deny decision) and the share of
its requests served before its accounts were flagged. The replay period is later than anything the baseline was
trained on (a held-out time slice, another seed); the held-out campaign style is reported on its own.
"""

from __future__ import annotations

import logging
import statistics
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.test import Client

from accounts.auth import create_api_key
from accounts.models import Account, Decision, ScoreRecord, Trigger
from riskscore.celery import app as celery_app
from riskscore.evaluation import LOW_FRICTION_PATHWAYS, recall_at_low_friction_fpr
from riskscore.models import SimulatedAccount
from riskscore.simulation import apply_ground_truth
from riskscore.simulator import SimulatedSignup, simulate_signups
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN, SimulatedEvent, UsagePlan, simulate_usage

BATCH_SPAN = timedelta(hours=1)
FLAGGED = (Decision.REVIEW, Decision.DENY)


@dataclass(frozen=True)
class ReplaySettings:
    seed: int = 7
    accounts: int = 3000
    start: datetime = datetime.fromisoformat("2026-04-06T00:00:00+00:00")
    days: int = 21
    scale: float = 0.1


def replay(settings: ReplaySettings, *, progress: Callable[[str], object] = lambda line: None) -> dict:
    signups = simulate_signups(seed=settings.seed, accounts=settings.accounts, start=settings.start, days=settings.days)
    events = simulate_usage(
        seed=settings.seed, signups=signups, start=settings.start, days=settings.days, plan=UsagePlan(settings.scale)
    )
    progress(f"simulated {len(signups)} signups and {len(events)} usage events")
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    # An eager task logs every success at INFO: a hundred thousand lines that say nothing.
    task_log = logging.getLogger("celery.app.trace")
    level = task_log.level
    task_log.setLevel(logging.WARNING)
    try:
        _send_in_time_order(signups, events, progress=progress)
    finally:
        celery_app.conf.task_always_eager = eager
        task_log.setLevel(level)
    return report(signups, events)


def _send_in_time_order(
    signups: list[SimulatedSignup], events: list[SimulatedEvent], *, progress: Callable[[str], object]
) -> None:
    _, key = create_api_key(name="replay", scopes=["signup", "ingest"])
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    stream = sorted(
        [(s.payload["created_at"], 0, s) for s in signups] + [(e.payload["timestamp"], 1, e) for e in events],
        key=lambda item: (item[0], item[1]),
    )
    batch: list[dict] = []
    batch_end = ""
    sent = batches = 0
    for at, kind, item in stream:
        if batch and (len(batch) == 1000 or at >= batch_end):
            sent += _post(client, "/api/v1/usage", {"events": batch})["accepted"]
            batch, batches = [], batches + 1
            if batches % 50 == 0:
                progress(f"  {sent} usage events sent, event time {at}")
        if kind == 0:
            _post(client, "/api/v1/signups", item.payload)
        else:
            if not batch:
                batch_end = _plus(at, BATCH_SPAN)
            batch.append(item.payload)
    if batch:
        _post(client, "/api/v1/usage", {"events": batch})
    by_id = dict(Account.objects.values_list("account_id", "pk"))
    truths = [
        SimulatedAccount(
            account=Account(pk=by_id[s.payload["account_id"]]),
            population=s.population,
            group=s.group or "",
            campaign_style=s.campaign_style or "",
            wave=s.wave,
            is_abusive=s.is_abusive,
        )
        for s in signups
    ]
    SimulatedAccount.objects.bulk_create(truths, batch_size=2000, ignore_conflicts=True)
    apply_ground_truth(truths)


def _post(client: Client, path: str, body: dict) -> dict:
    response = client.post(path, body, content_type="application/json")
    if response.status_code not in (200, 201, 202):
        raise RuntimeError(f"{path} answered {response.status_code}: {response.content[:300]!r}")
    return response.json()


def _plus(timestamp: str, span: timedelta) -> str:
    return (datetime.fromisoformat(timestamp.replace("Z", "+00:00")) + span).strftime("%Y-%m-%dT%H:%M:%SZ")


def report(signups: list[SimulatedSignup], events: list[SimulatedEvent]) -> dict:
    """Detection figures from the score history the replay left behind."""
    accounts = {a.account_id: a for a in Account.objects.only("account_id", "pathway", "score", "created_at")}
    flagged_at = _first_flags()
    truth = {s.payload["account_id"]: s for s in signups}
    labels = np.array([truth[a].is_abusive for a in accounts], dtype=int)
    scores = np.array([accounts[a].score for a in accounts])
    pathways = np.array([accounts[a].pathway for a in accounts])
    held_out = np.array([truth[a].group == HELD_OUT_CAMPAIGN for a in accounts])
    legit_low = (labels == 0) & np.isin(pathways, LOW_FRICTION_PATHWAYS)
    flags = np.array([accounts[a].pk in flagged_at for a in accounts])
    requests = defaultdict(int)
    served = defaultdict(int)
    for event in events:
        if event.campaign:
            account = accounts[event.payload["account_id"]]
            requests[event.campaign] += 1
            flag = flagged_at.get(account.pk)
            served[event.campaign] += flag is None or event.payload["timestamp"] < flag.strftime("%Y-%m-%dT%H:%M:%SZ")
    campaigns = {}
    for campaign in sorted({s.group for s in signups if s.is_abusive}):
        members = [accounts[s.payload["account_id"]] for s in signups if s.group == campaign]
        delays = [(flagged_at[m.pk] - m.created_at).total_seconds() / 3600 for m in members if m.pk in flagged_at]
        first_signup = min(m.created_at for m in members)
        first_flag = min((flagged_at[m.pk] for m in members if m.pk in flagged_at), default=None)
        campaigns[campaign] = {
            "accounts": len(members),
            "flagged_share": round(len(delays) / len(members), 3),
            "hours_signup_to_flag_median": round(statistics.median(delays), 1) if delays else None,
            "hours_to_first_flagged_account": (
                round((first_flag - first_signup).total_seconds() / 3600, 1) if first_flag else None
            ),
            "requests": requests[campaign],
            "share_of_requests_served_before_flag": round(served[campaign] / max(1, requests[campaign]), 3),
            "held_out_style": campaign == HELD_OUT_CAMPAIGN,
        }
    seen = ~held_out
    return {
        "accounts": len(accounts),
        "abusive": int(labels.sum()),
        "usage_events": len(events),
        "recall_at_1pct_fpr_low_friction": recall_at_low_friction_fpr(labels[seen], scores[seen], pathways[seen]),
        "held_out_style_recall_at_1pct_fpr_low_friction": recall_at_low_friction_fpr(
            labels[held_out | (labels == 0)], scores[held_out | (labels == 0)], pathways[held_out | (labels == 0)]
        ),
        "policy_flagged_share_abusive": round(float(flags[labels == 1].mean()), 3),
        "policy_flagged_share_legitimate_low_friction": round(float(flags[legit_low].mean()), 4),
        "campaigns": campaigns,
    }


def _first_flags() -> dict[int, datetime]:
    """Per account, the event time of its first review or deny decision: signup time, or the evidence's newest."""
    flags: dict[int, datetime] = {}
    rows = (
        ScoreRecord.objects.filter(decision__in=FLAGGED)
        .order_by("scored_at", "id")
        .values_list("account_id", "trigger", "evidence_through", "account__created_at")
    )
    for account_pk, trigger, evidence_through, created_at in rows.iterator(chunk_size=5000):
        at = created_at if trigger == Trigger.SIGNUP or evidence_through is None else evidence_through
        if account_pk not in flags or at < flags[account_pk]:
            flags[account_pk] = at
    return flags
