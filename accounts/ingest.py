"""Usage evidence from the API gateway: validate each event alone, store the valid ones durably, ask for re-scores.

Prompts are analysed here and dropped: only the derived values reach the database.
Writes are set-based (one INSERT … ON CONFLICT DO NOTHING per request, row_sets.py), and the events
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
from accounts.row_sets import row_source
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

    account_ids = {event.account_id for event in fresh.values()}
    pk_of = dict(Account.objects.filter(account_id__in=account_ids).values_list("account_id", "pk"))
    rows: list[_NewEvent] = []
    for event in fresh.values():
        account_pk = pk_of.get(event.account_id)
        if account_pk is None:
            result.rejected.append(Rejection(event.index, "unknown_account", f"no account {event.account_id}"))
            continue
        rows.append(_analysed(event, account_pk=account_pk))
    result.rejected.sort(key=lambda rejection: rejection.index)

    with transaction.atomic():
        # Events stored before (by an earlier request, or a concurrent one) are left alone by the insert: only
        # what this request inserted is accepted, aggregated and flagged.
        inserted = _insert_new(rows)
        stored = [row.stored for row in rows if row.event_id in inserted]
        record_usage(stored)
        touched = sorted({event.account_pk for event in stored})
        result.accounts_to_rescore = flag_for_rescore(touched)
        transaction.on_commit(lambda: request_rescores(result.accounts_to_rescore))
    result.accepted = len(stored)
    result.duplicates += len(rows) - len(stored)
    return result


@dataclass(frozen=True, slots=True)
class _NewEvent:
    """An event about to be stored: what the aggregates need, and the other stored columns."""

    event_id: str
    user_agent: str
    prompt_words: int | None
    stored: StoredEvent


_EVENT_COLUMNS = (
    "event_id", "account_id", "timestamp", "ip", "model", "input_tokens", "output_tokens", "tool_calls",
    "user_agent", "prompt_words", "cot_elicitation", "category", "template_fingerprint", "received_at",
)  # fmt: skip


def _insert_new(rows: list[_NewEvent], *, batch: int = 1000) -> set[str]:
    """One INSERT … ON CONFLICT DO NOTHING RETURNING per 1,000 events: the event ids actually stored."""
    table = connection.ops.quote_name(UsageEvent._meta.db_table)
    adapt_time = connection.ops.adapt_datetimefield_value
    now = adapt_time(timezone.now())
    inserted: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            values = [
                (
                    r.event_id, e.account_pk, adapt_time(e.timestamp), e.ip, e.model, e.input_tokens, e.output_tokens,
                    e.tool_calls, r.user_agent, r.prompt_words, e.cot_elicitation, e.category, e.template_fingerprint,
                    now,
                )
                for r in rows[start : start + batch]
                for e in (r.stored,)
            ]  # fmt: skip
            source, params = row_source(UsageEvent, _EVENT_COLUMNS, values)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(_EVENT_COLUMNS)}) {source} "
                "ON CONFLICT (event_id) DO NOTHING RETURNING event_id",
                params,
            )
            inserted.update(event_id for (event_id,) in cursor.fetchall())
    return inserted


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


def _analysed(event: EventInput, *, account_pk: int) -> _NewEvent:
    analysis = analyse_prompt(event.prompt) if event.prompt else None
    return _NewEvent(
        event_id=event.event_id,
        user_agent=event.user_agent,
        prompt_words=analysis.length_words if analysis else None,
        stored=StoredEvent(
            account_pk=account_pk,
            timestamp=event.timestamp,
            ip=event.ip,
            model=event.model,
            input_tokens=event.input_tokens,
            output_tokens=event.output_tokens,
            tool_calls=event.tool_calls,
            cot_elicitation=analysis.cot_elicitation if analysis else None,
            category=analysis.category if analysis else "",
            template_fingerprint=analysis.template_fingerprint if analysis else None,
        ),
    )
