"""Usage aggregates kept at ingest: per-account hourly buckets, addresses, templates and models, in event time.

Each accepted batch is folded in memory first, then written with one multi-row
INSERT … ON CONFLICT DO UPDATE per table (PostgreSQL and SQLite alike), so the
features read a few small rows per account and never scan raw events.
Rows are written in key order so that concurrent batches lock them in the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import connection

from accounts.models import (
    COT_THRESHOLDS,
    ModelFirstSeen,
    UsageAccountIp,
    UsageAccountModel,
    UsageAccountTemplate,
    UsageHour,
    cot_column,
)
from accounts.row_sets import row_source
from riskscore.features import reference
from riskscore.features.prompt_category import CATEGORIES


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """What an aggregate needs of an accepted event (the prompt is already reduced to its analysis)."""

    account_pk: int
    timestamp: datetime
    ip: str
    model: str
    input_tokens: int
    output_tokens: int
    tool_calls: int
    cot_elicitation: float | None
    category: str
    template_fingerprint: int | None


@dataclass(slots=True)
class _Bucket:
    requests: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    tool_calls: int = 0
    analysed: int = 0
    cot_elicitation_sum: float = 0.0
    cot_at_least: list[int] = field(default_factory=lambda: [0] * len(COT_THRESHOLDS))
    categories: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))


@dataclass(slots=True)
class _Seen:
    first_seen: datetime
    requests: int = 0


def record_usage(events: Sequence[StoredEvent]) -> None:
    """Fold newly stored events into the aggregates. Call inside the transaction that stored them."""
    if not events:
        return
    hours: dict[tuple[int, datetime], _Bucket] = {}
    ips: dict[tuple[int, str], _Seen] = {}
    templates: dict[tuple[int, int], _Seen] = {}
    models: dict[tuple[int, str], _Seen] = {}
    releases: dict[str, datetime] = {}
    for event in events:
        bucket = hours.setdefault((event.account_pk, hour_of(event.timestamp)), _Bucket())
        bucket.requests += 1
        bucket.input_tokens += event.input_tokens
        bucket.output_tokens += event.output_tokens
        bucket.tool_calls += event.tool_calls
        if event.cot_elicitation is not None:
            bucket.analysed += 1
            bucket.cot_elicitation_sum += event.cot_elicitation
            for i, threshold in enumerate(COT_THRESHOLDS):  # ascending: the first one missed ends it
                if event.cot_elicitation < threshold:
                    break
                bucket.cot_at_least[i] += 1
            if event.category in bucket.categories:
                bucket.categories[event.category] += 1
        _see(ips, (event.account_pk, event.ip), event.timestamp)
        if event.template_fingerprint is not None:
            _see(templates, (event.account_pk, event.template_fingerprint), event.timestamp)
        _see(models, (event.account_pk, event.model), event.timestamp)
        if event.model not in releases or event.timestamp < releases[event.model]:
            releases[event.model] = event.timestamp

    counted = ["requests", "input_tokens", "output_tokens", "tool_calls", "analysed", "cot_elicitation_sum"]
    counted += [cot_column(threshold) for threshold in COT_THRESHOLDS] + list(CATEGORIES)
    _upsert(
        UsageHour,
        ["account_id", "hour", *counted],
        conflict=["account_id", "hour"],
        added=counted,
        rows=(
            [pk, hour, b.requests, b.input_tokens, b.output_tokens, b.tool_calls, b.analysed]
            + [b.cot_elicitation_sum, *b.cot_at_least, *(b.categories[c] for c in CATEGORIES)]
            for (pk, hour), b in sorted(hours.items())
        ),
    )
    networks = {ip: reference.ip_network(ip) for _, ip in ips}
    _upsert(
        UsageAccountIp,
        ["account_id", "ip", "prefix", "is_cloud", "first_seen", "requests"],
        conflict=["account_id", "ip"],
        added=["requests"],
        earliest=["first_seen"],
        rows=([pk, ip, *networks[ip], seen.first_seen, seen.requests] for (pk, ip), seen in sorted(ips.items())),
    )
    _upsert(
        UsageAccountTemplate,
        ["account_id", "fingerprint", "first_seen", "requests"],
        conflict=["account_id", "fingerprint"],
        added=["requests"],
        earliest=["first_seen"],
        rows=([pk, fp, seen.first_seen, seen.requests] for (pk, fp), seen in sorted(templates.items())),
    )
    _upsert(
        UsageAccountModel,
        ["account_id", "model", "first_seen", "requests"],
        conflict=["account_id", "model"],
        added=["requests"],
        earliest=["first_seen"],
        rows=([pk, model, seen.first_seen, seen.requests] for (pk, model), seen in sorted(models.items())),
    )
    _upsert(
        ModelFirstSeen,
        ["model", "first_seen"],
        conflict=["model"],
        earliest=["first_seen"],
        rows=([model, at] for model, at in sorted(releases.items())),
    )


def hour_of(timestamp: datetime) -> datetime:
    return timestamp.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _see(seen: dict, key: tuple, at: datetime) -> None:
    entry = seen.get(key)
    if entry is None:
        seen[key] = entry = _Seen(first_seen=at)
    elif at < entry.first_seen:
        entry.first_seen = at
    entry.requests += 1


def _upsert(
    model: type,
    columns: list[str],
    *,
    conflict: list[str],
    rows: Iterable[list],
    added: Sequence[str] = (),
    earliest: Sequence[str] = (),
    batch: int = 500,
) -> None:
    """INSERT … ON CONFLICT DO UPDATE: `added` columns are summed, `earliest` keep the smaller value."""
    table = connection.ops.quote_name(model._meta.db_table)
    updates = [f"{c} = {table}.{c} + EXCLUDED.{c}" for c in added]
    # CASE rather than LEAST: SQLite has no LEAST, and its MIN() of two values is not PostgreSQL's.
    updates += [f"{c} = CASE WHEN EXCLUDED.{c} < {table}.{c} THEN EXCLUDED.{c} ELSE {table}.{c} END" for c in earliest]
    adapt = [_adapter(model, column) for column in columns]
    pending = [[fn(value) for fn, value in zip(adapt, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        for start in range(0, len(pending), batch):
            source, params = row_source(model, columns, pending[start : start + batch])
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) {source} "
                f"ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET {', '.join(updates)}",
                params,
            )


def _adapter(model: type, column: str):
    name = column.removesuffix("_id") if column.endswith("_id") else column
    field_ = model._meta.get_field(name)
    if field_.get_internal_type() == "DateTimeField":
        return connection.ops.adapt_datetimefield_value
    return lambda value: value
