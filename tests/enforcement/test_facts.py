"""The facts a tier follows from: chain-of-thought counts over the policy's window, read from the hourly
aggregates and the events of the window's first hour, equal a count of every event in the window."""

from __future__ import annotations

import copy
import random
from datetime import timedelta
from unittest import mock

import pytest

from accounts.ingest import EventInput, ingest_events
from accounts.models import COT_THRESHOLDS, Account, UsageEvent
from enforcement.facts import gather_facts
from enforcement.policy import DEFAULT_ENFORCEMENT_POLICY
from riskscore.features.prompts import PromptAnalysis
from tests.builders import next_id
from tests.enforcement.builders import new_account


def ingest_scored(account: Account, scored: list[tuple[timedelta, float | None]]) -> None:
    """Events at these times after signup whose prompts score these elicitation values (None: no prompt)."""
    events = [
        EventInput(
            index=i,
            event_id=f"evt-{next_id()}",
            account_id=account.account_id,
            timestamp=account.created_at + after,
            ip="198.51.100.20",
            model="m",
            input_tokens=10,
            output_tokens=20,
            prompt=None if cot is None else "a prompt",
        )
        for i, (after, cot) in enumerate(scored)
    ]
    analyses = [PromptAnalysis(cot, "reasoning", 1, 2) for _, cot in scored if cot is not None]
    with mock.patch("accounts.ingest.analyse_prompt", side_effect=analyses):  # called in the events' order
        ingest_events(events, invalid=[], request_rescores=lambda pks: None)


def counted_one_by_one(account: Account, *, window_days: float, min_score: float) -> tuple[int, int]:
    start = account.evidence_through - timedelta(days=window_days)
    scores = UsageEvent.objects.filter(account=account, timestamp__gte=start, cot_elicitation__isnull=False)
    values = list(scores.values_list("cot_elicitation", flat=True))
    return len(values), sum(value >= min_score for value in values)


@pytest.fixture
def accounts_with_usage(baseline) -> list[Account]:
    rng = random.Random(3)
    accounts = [new_account() for _ in range(3)]
    grid_and_between = [*COT_THRESHOLDS, 0.0, 0.05, 0.5999, 0.6001, 0.9999]
    for account in accounts:
        ingest_scored(
            account,
            [
                (timedelta(seconds=rng.randint(0, 10 * 86400)), rng.choice([*grid_and_between, None]))
                for _ in range(120)
            ],
        )
        newest = account.usage_events.order_by("-timestamp").values_list("timestamp", flat=True).first()
        Account.objects.filter(pk=account.pk).update(evidence_through=newest)
        account.refresh_from_db()
    return accounts


@pytest.mark.parametrize("window_days", [7, 2.5, 0.3])
@pytest.mark.parametrize("min_score", [0.1, 0.6, 1.0])
def test_cot_counts_in_the_window_equal_a_count_of_its_events(accounts_with_usage, window_days, min_score):
    document = copy.deepcopy(DEFAULT_ENFORCEMENT_POLICY)
    document["cot_elicitation"].update(window_days=window_days, min_score=min_score)
    facts = gather_facts(account_pks=[account.pk for account in accounts_with_usage], document=document)
    for account in accounts_with_usage:
        counted = (facts[account.pk].cot_events, facts[account.pk].cot_elicitation_events)
        assert counted == counted_one_by_one(account, window_days=window_days, min_score=min_score)


def test_the_window_starts_inside_an_hour_at_its_exact_moment(baseline):
    account = new_account()
    ingest_scored(
        account,
        [(timedelta(hours=2, minutes=m), 0.9) for m in (10, 29, 30, 50)]
        + [(timedelta(days=7, hours=2, minutes=30), 0.9)],
    )
    Account.objects.filter(pk=account.pk).update(
        evidence_through=account.created_at + timedelta(days=7, hours=2, minutes=30)
    )
    facts = gather_facts(account_pks=[account.pk], document=DEFAULT_ENFORCEMENT_POLICY)[account.pk]
    assert (facts.cot_events, facts.cot_elicitation_events) == (3, 3)
