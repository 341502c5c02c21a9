"""Builders for enforcement tests: accounts registered through the real signup path, usage, clusters."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta
from unittest import mock

from django.utils import timezone

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account
from accounts.services import register_signup
from clusters.models import Cluster
from riskscore import policy
from riskscore.features.prompts import PromptAnalysis
from tests.builders import next_id, signup_input

SIGNED_UP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def new_account(**overrides) -> Account:
    overrides.setdefault("created_at", SIGNED_UP.isoformat())
    return register_signup(signup=signup_input(**overrides)).account


def add_usage(account: Account, *, days_after_signup: float, count: int = 1, cot: float = 0.0) -> None:
    """Usage events whose prompts prompt analysis scores `cot` for chain-of-thought elicitation."""
    base = account.created_at + timedelta(days=days_after_signup)
    events = [
        EventInput(
            index=i,
            event_id=f"{account.account_id}-{next_id()}",
            account_id=account.account_id,
            timestamp=base + timedelta(seconds=i),
            ip="198.51.100.20",
            model="m",
            input_tokens=10,
            output_tokens=20,
            prompt="a prompt",
        )
        for i in range(count)
    ]
    analysis = PromptAnalysis(cot_elicitation=cot, category="reasoning", template_fingerprint=1, length_words=2)
    with mock.patch("accounts.ingest.analyse_prompt", return_value=analysis):
        ingest_events(events, invalid=[], request_rescores=lambda pks: None)


def make_cluster(members: list[Account], *, band: str) -> Cluster:
    cluster = Cluster.objects.create(
        cluster_id=f"cl_{next_id()}",
        band=band,
        score={"low": 0.1, "medium": 0.4, "high": 0.7, "critical": 0.95}[band],
        size=len(members),
        first_seen=min(m.created_at for m in members),
        last_seen=max(m.created_at for m in members),
        changed_at=timezone.now(),
    )
    Account.objects.filter(pk__in=[m.pk for m in members]).update(cluster_id=cluster.cluster_id)
    return cluster


def decision_policy_scoring_everything(band: str) -> dict:
    """A decision policy under which every score falls in `band` (to move scores without a new model)."""
    document = copy.deepcopy(policy.DEFAULT_POLICY)
    cut = {"low": (1.0, 1.0, 1.0), "high": (0.0, 0.0, 1.0), "critical": (0.0, 0.0, 0.0)}[band]
    document["default"]["band_thresholds"] = dict(zip(("medium", "high", "critical"), cut, strict=True))
    document["pathways"]["enterprise"].pop("band_thresholds", None)
    return document
