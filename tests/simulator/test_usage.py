"""Simulated usage: deterministic, in event time after each signup, and hard: no simple usage signal separates."""

import math
from collections import defaultdict
from datetime import UTC, datetime
from functools import cache

from sklearn.metrics import roc_auc_score

from riskscore.features.prompts import analyse_prompt
from riskscore.simulator import simulate_signups
from riskscore.simulator.networks import is_cloud_ip
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN, NEW_MODEL, UsagePlan, simulate_usage

START = datetime(2026, 3, 2, tzinfo=UTC)


@cache
def population():
    signups = simulate_signups(seed=5, accounts=1500, start=START, days=10)
    return signups, simulate_usage(seed=5, signups=signups, start=START, days=10, plan=UsagePlan(scale=0.05))


def test_the_same_seed_gives_the_same_events():
    signups = simulate_signups(seed=9, accounts=200, start=START, days=3)
    first = simulate_usage(seed=9, signups=signups, start=START, days=3)
    again = simulate_usage(seed=9, signups=signups, start=START, days=3)
    assert [e.payload for e in first] == [e.payload for e in again]


def test_events_come_after_their_accounts_signup_in_time_order():
    signups, events = population()
    created = {s.payload["account_id"]: s.payload["created_at"] for s in signups}
    assert all(e.payload["timestamp"] >= created[e.payload["account_id"]] for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)


def test_every_campaign_sends_usage_and_the_held_out_one_never_pivots():
    signups, events = population()
    campaigns = {s.group for s in signups if s.is_abusive}
    assert {e.campaign for e in events if e.campaign} == campaigns
    assert not any(e.payload["model"] == NEW_MODEL for e in events if e.campaign == HELD_OUT_CAMPAIGN)


def test_no_simple_usage_signal_separates_campaign_accounts():
    signups, events = population()
    abusive = {s.payload["account_id"]: s.is_abusive for s in signups}
    per_account = defaultdict(list)
    for e in events:
        per_account[e.payload["account_id"]].append(e.payload)
    signals = {
        "requests": lambda p: len(p),
        "distinct_ips": lambda p: len({x["ip"] for x in p}),
        "cloud_share": lambda p: sum(is_cloud_ip(x["ip"]) for x in p) / len(p),
        "tool_calls": lambda p: sum(x["tool_calls"] for x in p) / len(p),
        "output_ratio": lambda p: sum(x["output_tokens"] for x in p) / sum(x["input_tokens"] for x in p),
        "new_model_share": lambda p: sum(x["model"] == NEW_MODEL for x in p) / len(p),
        "hours_of_day": lambda p: len({x["timestamp"][11:13] for x in p}),
        "cot_elicitation": lambda p: sum(analyse_prompt(x["prompt"]).cot_elicitation for x in p) / len(p),
    }
    accounts = list(per_account)
    labels = [abusive[a] for a in accounts]
    for name, signal in signals.items():
        auc = roc_auc_score(labels, [signal(per_account[a]) for a in accounts])
        assert max(auc, 1 - auc) < 0.9, (name, auc)
        assert not math.isnan(auc)
