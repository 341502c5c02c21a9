"""Writing a new signup's rows — the account, its identifier sightings, its first score, its first
enforcement state and that state's log entry — as one unit.

On PostgreSQL the five inserts are one prepared statement run in autocommit: one round
trip, no BEGIN/COMMIT, and the feed position taken inside it (enforcement/migrations/0002),
where the ORM needs ten. Elsewhere they are ORM inserts in a transaction. Either way an
account_id that already exists inserts nothing.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from django.db import IntegrityError, connection, models, transaction

from accounts.models import Account, IdentifierSighting, ScoreRecord
from enforcement.models import Enforcement, TierChange
from enforcement.policy import current_enforcement_policy
from enforcement.services import FirstEnforcement, enforce_new_account, first_enforcement
from riskscore.features.identifiers import Identifier
from riskscore.features.reuse import record_sightings

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
    for attempt in range(ATTEMPTS):
        try:
            if not connection.in_atomic_block:
                return _run_statement(account, record, identifiers, at, first_enforcement(account=account))
            with transaction.atomic():  # a savepoint in the caller's transaction, so a retry can follow
                return _run_statement(account, record, identifiers, at, first_enforcement(account=account))
        except psycopg.Error as error:
            if error.sqlstate != STALE_POLICY or attempt == ATTEMPTS - 1:
                raise
            current_enforcement_policy.clear()  # decided under a policy another process has replaced
    raise AssertionError("unreachable")


def _run_statement(
    account: Account, record: ScoreRecord, identifiers: list[Identifier], at: datetime, first: FirstEnforcement
) -> bool:
    account_columns, account_values, account_params = _insert_values(account)
    record_columns, record_values, record_params = _insert_values(record, skip={"account"})
    state_columns, state_values, state_params = _insert_values(first.row, skip={"account", "seq"})
    change_columns, change_values, change_params = _insert_values(first.change, skip={"account"})
    sql = (
        f"WITH new_account AS (INSERT INTO {Account._meta.db_table} ({account_columns}) VALUES ({account_values}) "
        "ON CONFLICT (account_id) DO NOTHING RETURNING id), "
        f"sightings AS (INSERT INTO {IdentifierSighting._meta.db_table} (kind, value_key, account_id, seen_at) "
        "SELECT wanted.kind, wanted.value_key, new_account.id, %s::timestamptz "
        "FROM new_account, unnest(%s::smallint[], %s::bigint[]) AS wanted(kind, value_key)), "
        f"first_score AS (INSERT INTO {ScoreRecord._meta.db_table} (account_id, {record_columns}) "
        f"SELECT new_account.id, {record_values} FROM new_account RETURNING id), "
        f"first_state AS (INSERT INTO {Enforcement._meta.db_table} (account_id, seq, {state_columns}) "
        f"SELECT new_account.id, enforcement_next_feed_position(%s), {state_values} FROM new_account), "
        f"first_change AS (INSERT INTO {TierChange._meta.db_table} (account_id, {change_columns}) "
        f"SELECT new_account.id, {change_values} FROM new_account) "
        "SELECT new_account.id, first_score.id FROM new_account, first_score"
    )
    params = [
        *account_params,
        at,
        [int(identifier.kind) for identifier in identifiers],
        [identifier.value_key for identifier in identifiers],
        *record_params,
        first.policy_version,
        *state_params,
        *change_params,
    ]
    connection.ensure_connection()
    # Server-side binding, so the fixed text is parsed and planned once per connection.
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        row = cursor.fetchone()
    if row is None:
        return False
    account.pk, record.pk = row
    record.account = account
    for stored in (account, record):
        stored._state.adding, stored._state.db = False, connection.alias
    return True


def _insert_values(obj: models.Model, *, skip: frozenset[str] | set[str] = frozenset()) -> tuple[str, str, list]:
    """Columns, typed placeholders and database values of a new row, as Django's own insert would prepare them."""
    fields = [field for field in obj._meta.concrete_fields if not field.primary_key and field.name not in skip]
    columns = ", ".join(field.column for field in fields)
    placeholders = ", ".join(
        f"%s::{field.rel_db_type(connection) if field.is_relation else field.db_type(connection)}" for field in fields
    )
    values = [field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields]
    return columns, placeholders, values
