"""Many rows in one statement: the row source of an INSERT, as one JSON parameter on PostgreSQL.

Django's psycopg 3 backend binds parameters on the client, in Python: a 1,000-row VALUES list has 14,000
placeholders to split and quote (a third of an ingest request's CPU), and arrays are dumped element by element.
On PostgreSQL the rows go as one JSON text encoded by msgspec (C) and unpacked by the server
(`json_to_recordset`), so the query text never changes and the client does almost nothing. SQLite gets the
multi-row VALUES list.
"""

from __future__ import annotations

from collections.abc import Sequence

import msgspec
from django.db import connection

_encode = msgspec.json.Encoder().encode


def row_source(model: type, columns: Sequence[str], rows: Sequence[Sequence]) -> tuple[str, list]:
    """(SQL, parameters) producing `rows` (values already adapted, in `columns` order) for INSERT INTO … {SQL}."""
    if connection.vendor == "postgresql":
        quote = connection.ops.quote_name
        definition = ", ".join(f"{quote(column)} {_sql_type(model, column)}" for column in columns)
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return f"SELECT * FROM json_to_recordset(%s::json) AS rows({definition})", [_encode(records).decode()]
    row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return "VALUES " + ", ".join([row_sql] * len(rows)), [value for row in rows for value in row]


def _sql_type(model: type, column: str) -> str:
    field = model._meta.get_field(column)  # a foreign key by its column name too ("account_id")
    db_type = field.rel_db_type(connection) if field.is_relation else field.db_type(connection)
    # Text, not varchar(n): a cast to varchar(n) would cut a longer value silently; inserting text into the
    # varchar(n) column fails on it instead.
    return "text" if db_type.startswith("varchar") else db_type
