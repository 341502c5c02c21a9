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

WINDOWS: dict[str, timedelta] = {"1h": timedelta(hours=1), "24h": timedelta(hours=24), "7d": timedelta(days=7)}

ReuseCounts = dict[tuple[IdentifierKind, str], int]


def count_reuse(identifiers: list[Identifier], *, at: datetime) -> ReuseCounts:
    """Sightings of each identifier in (at - window, at], per window name.

    Sightings after `at` in event time are not counted, so a backfilled or
    replayed signup sees the history it would have seen live.
    """
    if not identifiers:
        return {}
    table = IdentifierSighting._meta.db_table
    adapt = connection.ops.adapt_datetimefield_value
    since = {name: adapt(at - span) for name, span in WINDOWS.items()}
    widest = max(WINDOWS, key=WINDOWS.get)
    narrower = [name for name in WINDOWS if name != widest]
    counted = ", ".join(f"COUNT(*) FILTER (WHERE seen_at > %s) AS n_{name}" for name in narrower)
    select = (
        f"SELECT %s AS idx, {counted}, COUNT(*) AS n_{widest} FROM ("
        f"SELECT seen_at FROM {table} WHERE kind = %s AND value_key = %s AND seen_at > %s AND seen_at <= %s "
        f"ORDER BY seen_at DESC LIMIT %s) AS recent"
    )
    params: list = []
    for index, identifier in enumerate(identifiers):
        params += [index, *(since[name] for name in narrower)]
        params += [int(identifier.kind), identifier.value_key, since[widest], adapt(at), settings.REUSE_COUNT_CAP]
    sql = " UNION ALL ".join([select] * len(identifiers))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    counts: ReuseCounts = {}
    for idx, *values in rows:
        kind = identifiers[idx].kind
        for name, value in zip([*narrower, widest], values, strict=True):
            counts[(kind, name)] = max(counts.get((kind, name), 0), int(value))
    return counts


def record_sightings(identifiers: list[Identifier], *, account_id: int, at: datetime) -> None:
    IdentifierSighting.objects.bulk_create(
        IdentifierSighting(kind=i.kind, value_key=i.value_key, account_id=account_id, seen_at=at) for i in identifiers
    )
