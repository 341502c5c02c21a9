"""Usage features: what an account does through the API, as of an event time, read from the ingest aggregates.

USAGE_FEATURES is the one list; the account model (ACCOUNT_FEATURES = signup + usage + cluster) trains and
scores on it.
Hourly buckets are read for the WINDOW before `at` (the bucket holding `at` counts whole); addresses, templates
and models count only what was first seen at or before `at`, so a replayed stream scores as it did live.
"""

from __future__ import annotations

import math
import socket
from bisect import bisect_right
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import msgspec
from django.db import connection
from django.db.models import Func, IntegerField

from accounts.models import (
    Account,
    ModelFirstSeen,
    UsageAccountIp,
    UsageAccountModel,
    UsageAccountTemplate,
    UsageHour,
    cot_column,
)
from accounts.usage_aggregates import hour_of
from riskscore.features.cluster import CLUSTER_FEATURES, cluster_features_many
from riskscore.features.prompt_category import CATEGORIES
from riskscore.features.signup import SIGNUP_FEATURES, features_from_storage

WINDOW = timedelta(days=7)
# Only the account's busiest templates and addresses are looked up on other accounts: bounded cost per re-score.
TOP_LOOKED_UP = 20
MEASURED_CATEGORIES = tuple(c for c in CATEGORIES if c != "general")
# Prompts scoring at least this are chain-of-thought elicitation hits (one of the hourly COT_THRESHOLDS).
COT_HIT = 0.5
# What the features read of an hour, each summed over the window.
HOUR_COUNTS = (
    "requests",
    "input_tokens",
    "output_tokens",
    "tool_calls",
    "analysed",
    "cot_elicitation_sum",
    cot_column(COT_HIT),
    *CATEGORIES,
)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_encode_json = msgspec.json.Encoder().encode  # in C, times included (RFC 3339)

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
ACCOUNT_FEATURES: tuple[str, ...] = SIGNUP_FEATURES + USAGE_FEATURES + CLUSTER_FEATURES


class HourNumber(Func):
    """An hour's start as hours since 1970 (UTC): an integer, which costs far less to read than a datetime."""

    output_field = IntegerField()
    template = "CAST(EXTRACT(EPOCH FROM %(expressions)s) AS bigint) / 3600"

    def as_sqlite(self, compiler, connection, **extra_context):
        # julianday is fractional days; an hour's start is a whole number of hours, so rounding is exact.
        template = "CAST(round((julianday(%(expressions)s) - 2440587.5) * 24) AS integer)"
        return self.as_sql(compiler, connection, template=template, **extra_context)

    def get_db_converters(self, connection) -> list:
        return []  # both databases give an integer: no conversion row by row (a tenth of the hour read)


def hour_number(moment: datetime) -> int:
    """The number (as HourNumber counts) of the hour holding `moment`."""
    return (moment - EPOCH) // timedelta(hours=1)


def account_features(account: Account, *, at: datetime, as_known_then: bool = False) -> dict[str, float]:
    """The account model's input: the stored signup features, usage as of `at`, and cluster features (clusters
    as known now, or as known at `at` for training)."""
    return account_features_many([account], at={account.pk: at}, as_known_then=as_known_then)[account.pk]


def account_features_many(
    accounts: list[Account], *, at: dict[int, datetime], as_known_then: bool = False
) -> dict[int, dict[str, float]]:
    """account_features for many accounts, each as of its own time `at[pk]`; keyed by account pk."""
    usage = usage_features_many(accounts, at=at)
    clusters = cluster_features_many(accounts, at=at, as_known_then=as_known_then)
    return {
        account.pk: {**features_from_storage(account.signup_features), **usage[account.pk], **clusters[account.pk]}
        for account in accounts
    }


def usage_features(account: Account, *, at: datetime) -> dict[str, float]:
    return usage_features_many([account], at={account.pk: at})[account.pk]


def usage_features_many(accounts: list[Account], *, at: dict[int, datetime]) -> dict[int, dict[str, float]]:
    """Usage features of many accounts, each as of its own `at[pk]`, from seven queries for the whole batch
    (each reads the batch's rows up to its latest `at`; every account then keeps only what it had by its own)."""
    if not accounts:
        return {}
    latest = max(at.values())
    rows = (
        UsageHour.objects.filter(
            account_id__in=[account.pk for account in accounts],
            hour__gt=min(at.values()) - WINDOW,
            hour__lte=hour_of(latest),
        )
        .order_by("account_id", "hour")
        .values_list("account_id", HourNumber("hour"), *HOUR_COUNTS)
    )
    hours = defaultdict(list)
    for pk, *hour in rows:
        hours[pk].append(hour)
    result, active = {}, []
    for account in accounts:
        when = at[account.pk]
        features = result[account.pk] = dict.fromkeys(USAGE_FEATURES, math.nan)
        features["usage_account_age_days"] = (when - account.created_at).total_seconds() / 86400
        # The hours after the one holding when - WINDOW, up to the one holding `when`.
        first, last = hour_number(when - WINDOW) + 1, hour_number(when)
        mine = [hour for hour in hours.get(account.pk, ()) if first <= hour[0] <= last]
        if not mine:  # an hour is kept only once it has a request
            features["usage_requests_7d"] = 0
            continue
        numbers, *columns = zip(*mine, strict=True)
        per_hour = dict(zip(HOUR_COUNTS, columns, strict=True))
        totals = {name: sum(values) for name, values in per_hour.items()}  # each summed in hour order
        features["usage_requests_7d"] = totals["requests"]
        features.update(_volume(totals, active_hours=len(mine)))
        features.update(_prompts(totals))
        features.update(_timing(numbers, per_hour["requests"]))
        active.append(account.pk)
    if active:
        _linked(result, active, at=at, latest=latest)
    return result


def _linked(result: dict[int, dict], pks: list[int], *, at: dict[int, datetime], latest: datetime) -> None:
    """Templates, exits and models of the accounts with requests, and how many other accounts shared them."""
    templates = _owned(UsageAccountTemplate, ("fingerprint", "requests"), pks, at=at, latest=latest)
    ips = _owned(
        UsageAccountIp, ("ip", "prefix", "is_cloud", "requests"), pks, at=at, latest=latest, order=_address_order
    )
    used = _owned(UsageAccountModel, ("model", "first_seen", "requests"), pks, at=at, latest=latest)
    shared_templates = _shared(UsageAccountTemplate, "fingerprint", templates, at=at)
    shared_ips = _shared(UsageAccountIp, "ip", ips, at=at)
    names = {row[0] for rows in used.values() for row in rows}
    released = dict(ModelFirstSeen.objects.filter(model__in=names).values_list("model", "first_seen"))
    for pk in pks:
        features = result[pk]
        features.update(_templates(templates.get(pk, []), shared_templates.get(pk, {})))
        features.update(_network(ips.get(pk, []), shared_ips.get(pk, {})))
        features.update(_pivot(used.get(pk, []), released))


def _owned(model: type, fields: tuple, pks: list[int], *, at: dict, latest: datetime, order=None) -> dict:
    """Each account's rows first seen by its `at`, busiest first (ties by key): {pk: [fields…]}."""
    rows = model.objects.filter(account_id__in=pks, first_seen__lte=latest).values_list(
        "account_id", "first_seen", *fields
    )
    owned = defaultdict(list)
    for pk, first_seen, *values in rows:
        if first_seen <= at[pk]:
            owned[pk].append(tuple(values))
    for values in owned.values():
        values.sort(key=lambda row: (-row[-1], order(row[0]) if order else row[0]))
    return owned


def _address_order(ip: str) -> tuple[int, bytes]:
    """Addresses in PostgreSQL's inet order (IPv4 first, then by value), on every backend. The packed bytes
    sort as the numbers do and cost a tenth of parsing with ipaddress."""
    if ":" in ip:
        return 6, socket.inet_pton(socket.AF_INET6, ip)
    return 4, socket.inet_pton(socket.AF_INET, ip)


def _shared(model: type, key: str, owned: dict, *, at: dict[int, datetime]) -> dict[int, dict]:
    """For each account's busiest values (templates, exits): how many other accounts had used each by the
    account's `at`; values nobody else used are absent. {pk: {value: accounts}}."""
    looked_up = [(pk, value) for pk, rows in owned.items() for value, *_ in rows[:TOP_LOOKED_UP]]
    if not looked_up:
        return {}
    if connection.vendor == "postgresql":
        counts = _shared_counted_in_sql(model, key, looked_up, at=at)
    else:
        counts = _shared_counted_here(model, key, looked_up, at=at)
    shared = defaultdict(dict)
    for (pk, value), n in zip(looked_up, counts, strict=True):
        if n > 0:
            shared[pk][value] = n
    return shared


def _shared_counted_in_sql(model: type, key: str, looked_up: list[tuple], *, at: dict) -> list[int]:
    """One join: each (account, value, time) counts its other accounts through the (value, first_seen) index."""
    field = model._meta.get_field(key)
    rows = [{"i": i, "pk": pk, "value": str(value), "at": at[pk]} for i, (pk, value) in enumerate(looked_up)]
    sql = f"""
        SELECT v.i, count(t.id) FROM jsonb_to_recordset(%s::jsonb) AS v(i int, pk bigint, value text, at timestamptz)
        LEFT JOIN {model._meta.db_table} AS t
          ON t.{field.column} = v.value::{field.db_type(connection)} AND t.first_seen <= v.at AND t.account_id <> v.pk
        GROUP BY v.i
    """  # noqa: S608 (table, column and type names come from the model, values are bound)
    with connection.cursor() as cursor:
        cursor.execute(sql, [_encode_json(rows).decode()])
        counted = dict(cursor.fetchall())
    return [counted.get(i, 0) for i in range(len(looked_up))]


def _shared_counted_here(model: type, key: str, looked_up: list[tuple], *, at: dict) -> list[int]:
    """Without PostgreSQL: read when each account first used each value, count here."""
    sightings = defaultdict(list)
    latest = max(at[pk] for pk, _ in looked_up)
    values = {value for _, value in looked_up}
    for value, first_seen in model.objects.filter(**{f"{key}__in": values}, first_seen__lte=latest).values_list(
        key, "first_seen"
    ):
        sightings[value].append(first_seen)
    for times in sightings.values():
        times.sort()
    # The account itself is one of those that used the value by its time.
    return [bisect_right(sightings[value], at[pk]) - 1 for pk, value in looked_up]


def _volume(totals: dict[str, float], *, active_hours: int) -> dict[str, float]:
    requests, tokens_in, tokens_out = totals["requests"], totals["input_tokens"], totals["output_tokens"]
    return {
        "usage_active_hours_7d": active_hours,
        "usage_input_tokens_per_request": tokens_in / requests,
        "usage_output_tokens_per_request": tokens_out / requests,
        "usage_output_input_ratio": tokens_out / max(tokens_in, 1),
        "usage_tool_calls_per_request": totals["tool_calls"] / requests,
    }


def _prompts(totals: dict[str, float]) -> dict[str, float]:
    analysed = totals["analysed"]
    if not analysed:
        return {}
    features = {
        "usage_cot_elicitation_mean": totals["cot_elicitation_sum"] / analysed,
        "usage_cot_elicitation_share": totals[cot_column(COT_HIT)] / analysed,
        "usage_category_entropy": entropy(totals[category] for category in CATEGORIES),
    }
    features.update({f"usage_share_{c}": totals[c] / analysed for c in MEASURED_CATEGORIES})
    return features


def _timing(numbers: tuple[int, ...], requests: tuple[int, ...]) -> dict[str, float]:
    """People sleep and come back irregularly; scripts run steadily around the clock. (The active hours'
    numbers, ascending, and their requests.)"""
    first, last = numbers[0], numbers[-1]
    span = last - first + 1
    per_hour = [0] * span
    for number, n in zip(numbers, requests, strict=True):
        per_hour[number - first] = n
    mean = sum(per_hour) / span
    variance = sum((n - mean) ** 2 for n in per_hour) / span
    by_hour_of_day = Counter()
    for number, n in zip(numbers, requests, strict=True):
        by_hour_of_day[number % 24] += n
    # Every active hour has a request, so the idle runs are the gaps between consecutive active hours.
    longest = max((later - earlier - 1 for earlier, later in pairwise(numbers)), default=0)
    return {
        "usage_hourly_cv": math.sqrt(variance) / mean if span > 1 else math.nan,
        "usage_hour_of_day_entropy": entropy(by_hour_of_day.values()) / math.log(24),
        "usage_longest_idle_hours": longest if span >= 24 else math.nan,
    }


def _templates(mine: list[tuple], others: dict) -> dict[str, float]:
    if not mine:
        return {}
    total = sum(n for _, n in mine)
    top = dict(mine[:TOP_LOOKED_UP])
    return {
        "usage_top_template_share": mine[0][1] / total,
        "usage_templates_per_request": len(mine) / total,
        "usage_shared_template_accounts": max(others.values(), default=0),
        "usage_shared_template_request_share": sum(top[fp] for fp in others) / total,
    }


def _network(mine: list[tuple], others: dict) -> dict[str, float]:
    if not mine:
        return {}
    total = sum(row[3] for row in mine)
    top = {ip: n for ip, _, _, n in mine[:TOP_LOOKED_UP]}
    return {
        "usage_distinct_ips": len(mine),
        "usage_distinct_prefixes": len({prefix for _, prefix, _, _ in mine}),
        "usage_cloud_share": sum(n for _, _, cloud, n in mine if cloud) / total,
        "usage_shared_exit_accounts": max(others.values(), default=0),
        "usage_shared_exit_request_share": sum(top[ip] for ip in others) / total,
    }


def _pivot(used: list[tuple], released: dict) -> dict[str, float]:
    """How fast the account moved to models that appeared in the stream after it started using the API."""
    if not used:
        return {}
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
