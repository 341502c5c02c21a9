"""Usage evidence from the API gateway: validate each event alone, store the valid ones durably, ask for re-scores.

Prompts are analysed here and dropped: only the derived values reach the database.
Writes are set-based (one multi-row INSERT … ON CONFLICT DO NOTHING per request), and the events
actually inserted are folded into the usage aggregates in the same transaction (usage_aggregates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone

from accounts.errors import Rejection
from accounts.models import Account, UsageEvent
from accounts.usage_aggregates import StoredEvent, record_usage
from riskscore.features.prompts import analyse_prompt

MAX_EVENTS_PER_REQUEST = 1000


@dataclass(frozen=True, slots=True)
class EventInput:
    """A usage event that passed validation (the prompt still in memory, never stored)."""

    index: int
    event_id: str
    account_id: str
    timestamp: datetime
    ip: str
    model: str
    input_tokens: int
    output_tokens: int
    tool_calls: int = 0
    user_agent: str = ""
    prompt: str | None = None


@dataclass(slots=True)
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    accounts_to_rescore: list[int] = field(default_factory=list)


def ingest_events(
    events: list[EventInput],
    *,
    invalid: list[Rejection],
    request_rescores: Callable[[list[int]], None],
) -> IngestResult:
    """Store the valid events; events already seen (earlier, or earlier in this batch) count as duplicates."""
    result = IngestResult(rejected=list(invalid))
    fresh: dict[str, EventInput] = {}
    for event in events:
        if event.event_id in fresh:
            result.duplicates += 1
        else:
            fresh[event.event_id] = event
    seen_before = set(UsageEvent.objects.filter(event_id__in=list(fresh)).values_list("event_id", flat=True))
    result.duplicates += len(seen_before)
    for event_id in seen_before:
        del fresh[event_id]

    account_ids = {event.account_id for event in fresh.values()}
    pk_of = dict(Account.objects.filter(account_id__in=account_ids).values_list("account_id", "pk"))
    rows = []
    for event in fresh.values():
        if event.account_id not in pk_of:
            result.rejected.append(Rejection(event.index, "unknown_account", f"no account {event.account_id}"))
            continue
        rows.append(_row(event, account_pk=pk_of[event.account_id]))
    result.rejected.sort(key=lambda rejection: rejection.index)

    with transaction.atomic():
        inserted = _insert_new(rows)
        # A concurrent request may have stored some of these first: only what this one inserted is aggregated.
        record_usage([_stored(row) for row in rows if row.event_id in inserted])
        touched = sorted({row.account_id for row in rows})
        result.accounts_to_rescore = flag_for_rescore(touched)
        transaction.on_commit(lambda: request_rescores(result.accounts_to_rescore))
    result.accepted = len(rows)
    return result


_EVENT_COLUMNS = (
    "event_id", "account_id", "timestamp", "ip", "model", "input_tokens", "output_tokens", "tool_calls",
    "user_agent", "prompt_words", "cot_elicitation", "category", "template_fingerprint", "received_at",
)  # fmt: skip


def _insert_new(rows: list[UsageEvent], *, batch: int = 1000) -> set[str]:
    """One multi-row INSERT … ON CONFLICT DO NOTHING RETURNING per 1,000 events: the event ids actually stored."""
    table = connection.ops.quote_name(UsageEvent._meta.db_table)
    row_sql = "(" + ", ".join(["%s"] * len(_EVENT_COLUMNS)) + ")"
    adapt_time = connection.ops.adapt_datetimefield_value
    now = adapt_time(timezone.now())
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            params = []
            for r in chunk:
                params += [r.event_id, r.account_id, adapt_time(r.timestamp), r.ip, r.model, r.input_tokens]
                params += [r.output_tokens, r.tool_calls, r.user_agent, r.prompt_words, r.cot_elicitation]
                params += [r.category, r.template_fingerprint, now]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_EVENT_COLUMNS)}) VALUES {', '.join([row_sql] * len(chunk))} "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                params,
            )
            inserted.update(event_id for (event_id,) in cursor.fetchall())
    return inserted


def _stored(row: UsageEvent) -> StoredEvent:
    return StoredEvent(
        account_pk=row.account_id,
        timestamp=row.timestamp,
        ip=row.ip,
        model=row.model,
        input_tokens=row.input_tokens,
        output_tokens=row.output_tokens,
        tool_calls=row.tool_calls,
        cot_elicitation=row.cot_elicitation,
        category=row.category,
        template_fingerprint=row.template_fingerprint,
    )


def flag_for_rescore(account_pks: list[int]) -> list[int]:
    """Mark accounts as awaiting a re-score; returns those not already waiting (they need a task)."""
    if not account_pks:
        return []
    # Every touched account is locked, flagged or not (in pk order, as re-scoring locks them): a concurrent
    # request waits, then sees them as already waiting; a running re-score is waited for, so an account it
    # has just cleared is flagged again. NO KEY: the events' foreign-key checks do not conflict with it.
    locked = Account.objects.select_for_update(no_key=True).filter(pk__in=account_pks).order_by("pk")
    newly_waiting = [pk for pk, requested in locked.values_list("pk", "rescore_requested_at") if requested is None]
    Account.objects.filter(pk__in=newly_waiting).update(rescore_requested_at=timezone.now())
    return newly_waiting


def _row(event: EventInput, *, account_pk: int) -> UsageEvent:
    analysis = analyse_prompt(event.prompt) if event.prompt else None
    return UsageEvent(
        event_id=event.event_id,
        account_id=account_pk,
        timestamp=event.timestamp,
        ip=event.ip,
        model=event.model,
        input_tokens=event.input_tokens,
        output_tokens=event.output_tokens,
        tool_calls=event.tool_calls,
        user_agent=event.user_agent,
        prompt_words=analysis.length_words if analysis else None,
        cot_elicitation=analysis.cot_elicitation if analysis else None,
        category=analysis.category if analysis else "",
        template_fingerprint=analysis.template_fingerprint if analysis else None,
    )
