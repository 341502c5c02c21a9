"""Usage features: what an account does through the API, as of an event time, read from the ingest aggregates.

USAGE_FEATURES is the one list; the account model (ACCOUNT_FEATURES = signup + usage) trains and scores on it.
Hourly buckets are read for the WINDOW before `at` (the bucket holding `at` counts whole); addresses, templates
and models count only what was first seen at or before `at`, so a replayed stream scores as it did live.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta

from django.db.models import Count

from accounts.models import Account, ModelFirstSeen, UsageAccountIp, UsageAccountModel, UsageAccountTemplate, UsageHour
from accounts.usage_aggregates import hour_of
from riskscore.features.prompts import CATEGORIES
from riskscore.features.signup import SIGNUP_FEATURES, features_from_storage

WINDOW = timedelta(days=7)
# Only the account's busiest templates and addresses are looked up on other accounts: bounded cost per re-score.
TOP_LOOKED_UP = 20
MEASURED_CATEGORIES = tuple(c for c in CATEGORIES if c != "general")

VOLUME_FEATURES = (
    "usage_requests_7d",
    "usage_active_hours_7d",
    "usage_input_tokens_per_request",
    "usage_output_tokens_per_request",
    "usage_output_input_ratio",
    "usage_tool_calls_per_request",
)
PROMPT_FEATURES = (
    "usage_cot_elicitation_mean",
    "usage_cot_elicitation_share",
    *(f"usage_share_{category}" for category in MEASURED_CATEGORIES),
    "usage_category_entropy",
    "usage_top_template_share",
    "usage_templates_per_request",
)
LINK_FEATURES = (
    "usage_shared_template_accounts",
    "usage_shared_template_request_share",
    "usage_shared_exit_accounts",
    "usage_shared_exit_request_share",
)
NETWORK_FEATURES = ("usage_distinct_ips", "usage_distinct_prefixes", "usage_cloud_share")
TIMING_FEATURES = (
    "usage_hourly_cv",
    "usage_hour_of_day_entropy",
    "usage_longest_idle_hours",
    "usage_account_age_days",
)
PIVOT_FEATURES = ("usage_new_model_share", "usage_new_model_adoption_hours")
USAGE_FEATURES: tuple[str, ...] = (
    VOLUME_FEATURES + PROMPT_FEATURES + LINK_FEATURES + NETWORK_FEATURES + TIMING_FEATURES + PIVOT_FEATURES
)
ACCOUNT_FEATURES: tuple[str, ...] = SIGNUP_FEATURES + USAGE_FEATURES


def account_features(account: Account, *, at: datetime) -> dict[str, float]:
    """The account model's input: the stored signup features and usage as of `at`."""
    return {**features_from_storage(account.signup_features), **usage_features(account, at=at)}


def usage_features(account: Account, *, at: datetime) -> dict[str, float]:
    features = dict.fromkeys(USAGE_FEATURES, math.nan)
    features["usage_account_age_days"] = (at - account.created_at).total_seconds() / 86400
    hours = list(
        UsageHour.objects.filter(account=account, hour__gt=at - WINDOW, hour__lte=hour_of(at)).order_by("hour").values()
    )
    requests = sum(h["requests"] for h in hours)
    features["usage_requests_7d"] = requests
    if not requests:
        return features
    features.update(_volume(hours, requests))
    features.update(_prompts(hours))
    features.update(_timing(hours))
    features.update(_templates(account, at=at))
    features.update(_network(account, at=at))
    features.update(_pivot(account, at=at))
    return features


def _volume(hours: list[dict], requests: int) -> dict[str, float]:
    tokens_in = sum(h["input_tokens"] for h in hours)
    tokens_out = sum(h["output_tokens"] for h in hours)
    return {
        "usage_active_hours_7d": len(hours),
        "usage_input_tokens_per_request": tokens_in / requests,
        "usage_output_tokens_per_request": tokens_out / requests,
        "usage_output_input_ratio": tokens_out / max(tokens_in, 1),
        "usage_tool_calls_per_request": sum(h["tool_calls"] for h in hours) / requests,
    }


def _prompts(hours: list[dict]) -> dict[str, float]:
    analysed = sum(h["analysed"] for h in hours)
    if not analysed:
        return {}
    counts = {category: sum(h[category] for h in hours) for category in CATEGORIES}
    features = {
        "usage_cot_elicitation_mean": sum(h["cot_elicitation_sum"] for h in hours) / analysed,
        "usage_cot_elicitation_share": sum(h["cot_elicitation_hits"] for h in hours) / analysed,
        "usage_category_entropy": entropy(counts.values()),
    }
    features.update({f"usage_share_{c}": counts[c] / analysed for c in MEASURED_CATEGORIES})
    return features


def _timing(hours: list[dict]) -> dict[str, float]:
    """People sleep and come back irregularly; scripts run steadily around the clock."""
    first, last = hours[0]["hour"], hours[-1]["hour"]
    span = int((last - first).total_seconds() // 3600) + 1
    per_hour = [0] * span
    for h in hours:
        per_hour[int((h["hour"] - first).total_seconds() // 3600)] = h["requests"]
    mean = sum(per_hour) / span
    variance = sum((n - mean) ** 2 for n in per_hour) / span
    by_hour_of_day = Counter()
    for h in hours:
        by_hour_of_day[h["hour"].hour] += h["requests"]
    longest = run = 0
    for n in per_hour:
        run = run + 1 if n == 0 else 0
        longest = max(longest, run)
    return {
        "usage_hourly_cv": math.sqrt(variance) / mean if span > 1 else math.nan,
        "usage_hour_of_day_entropy": entropy(by_hour_of_day.values()) / math.log(24),
        "usage_longest_idle_hours": longest if span >= 24 else math.nan,
    }


def _templates(account: Account, *, at: datetime) -> dict[str, float]:
    mine = list(
        UsageAccountTemplate.objects.filter(account=account, first_seen__lte=at)
        .order_by("-requests", "fingerprint")
        .values_list("fingerprint", "requests")
    )
    if not mine:
        return {}
    total = sum(n for _, n in mine)
    top = dict(mine[:TOP_LOOKED_UP])
    others = _other_accounts(UsageAccountTemplate, "fingerprint", list(top), account=account, at=at)
    return {
        "usage_top_template_share": mine[0][1] / total,
        "usage_templates_per_request": len(mine) / total,
        "usage_shared_template_accounts": max(others.values(), default=0),
        "usage_shared_template_request_share": sum(top[fp] for fp in others) / total,
    }


def _network(account: Account, *, at: datetime) -> dict[str, float]:
    mine = list(
        UsageAccountIp.objects.filter(account=account, first_seen__lte=at)
        .order_by("-requests", "ip")
        .values_list("ip", "prefix", "is_cloud", "requests")
    )
    if not mine:
        return {}
    total = sum(row[3] for row in mine)
    top = {ip: n for ip, _, _, n in mine[:TOP_LOOKED_UP]}
    others = _other_accounts(UsageAccountIp, "ip", list(top), account=account, at=at)
    return {
        "usage_distinct_ips": len(mine),
        "usage_distinct_prefixes": len({prefix for _, prefix, _, _ in mine}),
        "usage_cloud_share": sum(n for _, _, cloud, n in mine if cloud) / total,
        "usage_shared_exit_accounts": max(others.values(), default=0),
        "usage_shared_exit_request_share": sum(top[ip] for ip in others) / total,
    }


def _other_accounts(model: type, key: str, values: list, *, account: Account, at: datetime) -> dict:
    """How many other accounts used each value (a template, an exit) by `at`; values nobody else used are absent."""
    rows = (
        model.objects.filter(**{f"{key}__in": values}, first_seen__lte=at)
        .exclude(account=account)
        .values(key)
        .annotate(accounts=Count("account_id"))
        .values_list(key, "accounts")
    )
    return dict(rows)


def _pivot(account: Account, *, at: datetime) -> dict[str, float]:
    """How fast the account moved to models that appeared in the stream after it started using the API."""
    used = list(
        UsageAccountModel.objects.filter(account=account, first_seen__lte=at).values_list(
            "model", "first_seen", "requests"
        )
    )
    if not used:
        return {}
    released = dict(ModelFirstSeen.objects.filter(model__in=[m for m, _, _ in used]).values_list("model", "first_seen"))
    started = min(first for _, first, _ in used)
    new = [(first - released[m], n) for m, first, n in used if m in released and released[m] > started]
    total = sum(n for _, _, n in used)
    return {
        "usage_new_model_share": sum(n for _, n in new) / total,
        "usage_new_model_adoption_hours": min((d.total_seconds() / 3600 for d, _ in new), default=math.nan),
    }


def entropy(counts) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    if not total:
        return math.nan
    return -sum(c / total * math.log(c / total) for c in values)


def account_features_many(accounts: list[Account], *, at: dict[int, datetime]) -> dict[int, dict[str, float]]:
    """account_features for many accounts, each as of its own time `at[pk]`; keyed by account pk."""
    return {account.pk: account_features(account, at=at[account.pk]) for account in accounts}
