"""Writing a new signup's rows — the account, its identifier sightings, its first score — as one unit.

On PostgreSQL the three inserts are one prepared statement run in autocommit: one round
trip and no BEGIN/COMMIT, where the ORM needs five. Elsewhere they are ORM inserts in a
transaction. Either way an account_id that already exists inserts nothing.
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from django.db import IntegrityError, connection, models, transaction

from accounts.models import Account, IdentifierSighting, ScoreRecord
from riskscore.features.identifiers import Identifier
from riskscore.features.reuse import record_sightings


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
    except IntegrityError:
        if Account.objects.filter(account_id=account.account_id).exists():
            return False
        raise
    return True


def _insert_in_one_statement(
    account: Account, record: ScoreRecord, identifiers: list[Identifier], at: datetime
) -> bool:
    account_columns, account_values, account_params = _insert_values(account)
    record_columns, record_values, record_params = _insert_values(record, skip={"account"})
    sql = (
        f"WITH new_account AS (INSERT INTO {Account._meta.db_table} ({account_columns}) VALUES ({account_values}) "
        "ON CONFLICT (account_id) DO NOTHING RETURNING id), "
        f"sightings AS (INSERT INTO {IdentifierSighting._meta.db_table} (kind, value_key, account_id, seen_at) "
        "SELECT wanted.kind, wanted.value_key, new_account.id, %s::timestamptz "
        "FROM new_account, unnest(%s::smallint[], %s::bigint[]) AS wanted(kind, value_key)), "
        f"first_score AS (INSERT INTO {ScoreRecord._meta.db_table} (account_id, {record_columns}) "
        f"SELECT new_account.id, {record_values} FROM new_account RETURNING id) "
        "SELECT new_account.id, first_score.id FROM new_account, first_score"
    )
    params = [
        *account_params,
        at,
        [int(identifier.kind) for identifier in identifiers],
        [identifier.value_key for identifier in identifiers],
        *record_params,
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
