"""Feeding the simulator's population through the real signup path, with its ground truth.

Labels are applied after every signup is registered, as analysts would label
later, so no signup is scored with knowledge of another account's label.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from accounts.ingest import MAX_EVENTS_PER_REQUEST, EventInput, ingest_events
from accounts.models import Account, Label
from accounts.services import register_signup
from riskscore.features.signup import SignupInput
from riskscore.models import SimulatedAccount
from riskscore.simulator import SimulatedSignup
from riskscore.simulator.usage import SimulatedEvent

SIMULATOR_LABEL_SOURCE = "simulator"


@dataclass(frozen=True, slots=True)
class LoadSummary:
    registered: int
    repeats: int
    abusive: int
    seconds: float


def signup_input(payload: dict) -> SignupInput:
    fields = {key: value for key, value in payload.items() if key != "created_at"}
    created_at = datetime.fromisoformat(payload["created_at"].replace("Z", "+00:00"))
    return SignupInput(created_at=created_at, **fields)


def load_simulated_signups(
    signups: Iterable[SimulatedSignup], *, label: bool = True, progress: Callable[[str], object] | None = None
) -> LoadSummary:
    started = time.perf_counter()
    registered = repeats = abusive = 0
    truths: list[SimulatedAccount] = []
    for signup in signups:
        result = register_signup(signup=signup_input(signup.payload))
        registered += result.created
        repeats += not result.created
        abusive += signup.is_abusive
        truths.append(
            SimulatedAccount(
                account=result.account,
                population=signup.population,
                group=signup.group or "",
                campaign_style=signup.campaign_style or "",
                wave=signup.wave,
                is_abusive=signup.is_abusive,
            )
        )
        if progress and registered and registered % 5000 == 0:
            progress(f"  {registered} signups registered ({time.perf_counter() - started:.0f}s)")
    SimulatedAccount.objects.bulk_create(truths, batch_size=2000, ignore_conflicts=True)
    if label:
        apply_ground_truth(truths)
    return LoadSummary(registered, repeats, abusive, time.perf_counter() - started)


def apply_ground_truth(truths: list[SimulatedAccount]) -> None:
    for is_abusive, label in ((True, Label.ABUSIVE), (False, Label.LEGITIMATE)):
        ids = [truth.account.pk for truth in truths if truth.is_abusive == is_abusive]
        for start in range(0, len(ids), 5000):
            Account.objects.filter(pk__in=ids[start : start + 5000]).update(
                label=label, label_source=SIMULATOR_LABEL_SOURCE
            )


def usage_input(index: int, payload: dict) -> EventInput:
    """A simulated usage event as the usage view hands it to ingest_events after validation."""
    timestamp = datetime.fromisoformat(payload["timestamp"].replace("Z", "+00:00"))
    return EventInput(index=index, **{**payload, "timestamp": timestamp})


def load_simulated_usage(
    events: Iterable[SimulatedEvent],
    *,
    request_rescores: Callable[[list[int]], None] = lambda pks: None,
    progress: Callable[[str], object] | None = None,
) -> int:
    """Ingest simulated usage in time order, 1,000 events at a time, through the same code path as the API."""
    started = time.perf_counter()
    batch: list[EventInput] = []
    stored = batches = 0
    for event in events:
        batch.append(usage_input(len(batch), event.payload))
        if len(batch) == MAX_EVENTS_PER_REQUEST:
            stored += ingest_events(batch, invalid=[], request_rescores=request_rescores).accepted
            batch, batches = [], batches + 1
            if progress and batches % 50 == 0:
                progress(f"  {stored} usage events ingested ({time.perf_counter() - started:.0f}s)")
    if batch:
        stored += ingest_events(batch, invalid=[], request_rescores=request_rescores).accepted
    return stored


def hold_out_unlabelled(campaign_id: str) -> int:
    """Remove the labels of one campaign's accounts: a style kept out of training, for evaluation only."""
    return Account.objects.filter(simulated__group=campaign_id).update(label=None, label_source="")
