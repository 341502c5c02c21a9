"""Writing a new signup's rows — the account, its identifier sightings, its first score, its first
enforcement state and that state's log entry — as one unit.

On PostgreSQL the five inserts are one prepared statement run in autocommit: one round
trip, no BEGIN/COMMIT, and the feed position taken inside it (enforcement/migrations/0002),
where the ORM needs ten. Elsewhere they are ORM inserts in a transaction. Either way an
account_id that already exists inserts nothing.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from datetime import datetime

import psycopg
from django.db import DatabaseError, IntegrityError, connection, models, transaction

from accounts.models import Account, IdentifierSighting, ScoreRecord
from enforcement.models import Enforcement, TierChange
from enforcement.policy import current_enforcement_policy
from enforcement.services import FirstEnforcement, enforce_new_account, first_enforcement
from riskscore.features.identifiers import Identifier
from riskscore.features.reuse import record_sightings
from riskscore.server_binding import array_literal, server_bound_cursor

STALE_POLICY = "RS001"  # raised by enforcement_next_feed_position when a newer policy is in force
ATTEMPTS = 3


def insert_signup(*, account: Account, record: ScoreRecord, identifiers: list[Identifier], at: datetime) -> bool:
    """Store the rows and set their primary keys; False (nothing stored) if the account_id is taken."""
    if connection.vendor == "postgresql":
        return _insert_in_one_statement(account, record, identifiers, at)
    try:
        with transaction.atomic():
            account.save(force_insert=True)
            record_sightings(identifiers, account_id=account.pk, at=at)
            record.account = account
            record.save(force_insert=True)
            enforce_new_account(account=account)
    except IntegrityError:
        if Account.objects.filter(account_id=account.account_id).exists():
            return False
        raise
    return True


def _insert_in_one_statement(
    account: Account, record: ScoreRecord, identifiers: list[Identifier], at: datetime
) -> bool:
    for attempt in range(1, ATTEMPTS + 1):
        # Inside a caller's transaction, a savepoint, so that a retry can follow a failed attempt.
        attempt_scope = transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()
        try:
            with attempt_scope:
                return _run_statement(account, record, identifiers, at, first_enforcement(account=account))
        except DatabaseError as error:
            if getattr(error.__cause__, "sqlstate", None) != STALE_POLICY or attempt == ATTEMPTS:
                raise
            current_enforcement_policy.clear()  # decided under a policy another process has replaced
    raise AssertionError("unreachable: the last attempt returns or raises")


def _run_statement(
    account: Account, record: ScoreRecord, identifiers: list[Identifier], at: datetime, first: FirstEnforcement
) -> bool:
    params = [
        *_row_values(account),
        at,
        array_literal(int(identifier.kind) for identifier in identifiers),
        array_literal(identifier.value_key for identifier in identifiers),
        *_row_values(record, skip=frozenset({"account"})),
        first.policy_version,
        *_row_values(first.row, skip=frozenset({"account", "seq"})),
        *_row_values(first.change, skip=frozenset({"account"})),
    ]
    # `$n` placeholders: psycopg passes the text through instead of parsing it on every call.
    with server_bound_cursor(psycopg.RawCursor) as cursor:
        cursor.execute(_signup_statement(), params, prepare=True)
        row = cursor.fetchone()
    if row is None:
        return False
    account.pk, record.pk = row
    record.account = account
    for stored in (account, record):
        stored._state.adding, stored._state.db = False, connection.alias
    return True


@functools.cache
def _signup_statement() -> str:
    """The one statement's text, built once: its parameters come in the order _run_statement lists them."""
    number = itertools.count(1)

    def values(model: type[models.Model], skip: frozenset[str] = frozenset()) -> tuple[str, str]:
        fields = _row_fields(model, skip)
        columns = ", ".join(field.column for field in fields)
        return columns, ", ".join(f"${next(number)}::{_db_type(field)}" for field in fields)

    account_columns, account_values = values(Account)
    at, kinds, value_keys = (f"${next(number)}" for _ in range(3))
    record_columns, record_values = values(ScoreRecord, frozenset({"account"}))
    expected_policy = f"${next(number)}"
    state_columns, state_values = values(Enforcement, frozenset({"account", "seq"}))
    change_columns, change_values = values(TierChange, frozenset({"account"}))
    return (
        f"WITH new_account AS (INSERT INTO {Account._meta.db_table} ({account_columns}) VALUES ({account_values}) "
        "ON CONFLICT (account_id) DO NOTHING RETURNING id), "
        f"sightings AS (INSERT INTO {IdentifierSighting._meta.db_table} (kind, value_key, account_id, seen_at) "
        f"SELECT wanted.kind, wanted.value_key, new_account.id, {at}::timestamptz "
        f"FROM new_account, unnest({kinds}::smallint[], {value_keys}::bigint[]) AS wanted(kind, value_key)), "
        f"first_score AS (INSERT INTO {ScoreRecord._meta.db_table} (account_id, {record_columns}) "
        f"SELECT new_account.id, {record_values} FROM new_account RETURNING id), "
        f"first_state AS (INSERT INTO {Enforcement._meta.db_table} (account_id, seq, {state_columns}) "
        f"SELECT new_account.id, enforcement_next_feed_position({expected_policy}::integer), {state_values} "
        "FROM new_account), "
        f"first_change AS (INSERT INTO {TierChange._meta.db_table} (account_id, {change_columns}) "
        f"SELECT new_account.id, {change_values} FROM new_account) "
        "SELECT new_account.id, first_score.id FROM new_account, first_score"
    )


@functools.cache
def _row_fields(model: type[models.Model], skip: frozenset[str]) -> tuple[models.Field, ...]:
    return tuple(field for field in model._meta.concrete_fields if not field.primary_key and field.name not in skip)


def _db_type(field: models.Field) -> str:
    return field.rel_db_type(connection) if field.is_relation else field.db_type(connection)


def _row_values(obj: models.Model, *, skip: frozenset[str] = frozenset()) -> list:
    """A new row's database values, as Django's own insert would prepare them, in _row_fields order.

    Django's generic path (pre_save, get_db_prep_save) costs a few microseconds a field, a tenth of a
    signup's Python over its ~50 fields; a value Django would send unchanged is taken as it is.
    """
    values = []
    for field, unchanged in _row_plan(type(obj), skip):
        value = getattr(obj, field.attname)
        if not _sent_unchanged(value, unchanged, null=field.null):
            value = field.get_db_prep_save(field.pre_save(obj, True), connection)
        values.append(value)
    return values


# The value type each field class passes to PostgreSQL unchanged (Django's to_python and
# get_db_prep_value are identities for it; integers it wraps in psycopg's sized types); any other
# field, and every field that sets its own value on save (auto_now), takes Django's path.
_UNCHANGED_TYPES: dict[type[models.Field], type] = {
    models.CharField: str,
    models.TextField: str,
    models.FloatField: float,
    models.BooleanField: bool,
    models.DateTimeField: datetime,
}


@functools.cache
def _row_plan(model: type[models.Model], skip: frozenset[str]) -> tuple[tuple[models.Field, type | None], ...]:
    """Each row field with the value type it passes unchanged (None: it always takes Django's path), worked out once."""
    return tuple((field, _unchanged_type(field)) for field in _row_fields(model, skip))


def _unchanged_type(field: models.Field) -> type | None:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    return _UNCHANGED_TYPES.get(type(field))


def _sent_unchanged(value: object, unchanged: type | None, *, null: bool) -> bool:
    if unchanged is None:
        return False
    if value is None:
        return null
    if unchanged is datetime:
        return type(value) is datetime and value.tzinfo is not None
    # A str subclass (a TextChoices member) goes as it is, as Django sends it; a float subclass (a numpy
    # float) is converted, as Django converts it.
    return isinstance(value, str) if unchanged is str else type(value) is unchanged
