"""Keyset (cursor) pagination over one ordering field, ties broken by primary key.

The cursor is opaque (URL-safe base64 of the last row's ordering value and id),
so no row is skipped or repeated while rows are added between pages.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from rest_framework.exceptions import ValidationError

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


@dataclass(frozen=True, slots=True)
class Page:
    items: list
    next_cursor: str | None


def page_size_from(raw: str | None) -> int:
    if raw in (None, ""):
        return DEFAULT_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({"page_size": ["must be a whole number"]}) from None
    return max(1, min(size, MAX_PAGE_SIZE))


def _encode(value, pk: int) -> str:
    if isinstance(value, datetime):
        value = {"t": value.isoformat()}
    return base64.urlsafe_b64encode(json.dumps([value, pk]).encode()).decode().rstrip("=")


def _decode(cursor: str):
    try:
        value, pk = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(value, dict):
            value = datetime.fromisoformat(value["t"])
        return value, int(pk)
    except (ValueError, TypeError, KeyError):
        raise ValidationError({"cursor": ["not a cursor this service issued"]}) from None


def next_page_url(request, next_cursor: str | None) -> str | None:
    """The absolute URL of the next page: the same query with the new cursor."""
    if not next_cursor:
        return None
    following = request.query_params.copy()
    following["cursor"] = next_cursor
    return request.build_absolute_uri(f"{request.path}?{following.urlencode()}")


def paginate(queryset: QuerySet, *, ordering: str, cursor: str | None, page_size: int) -> Page:
    """`ordering` is a field name, with a leading '-' for descending."""
    descending = ordering.startswith("-")
    field = ordering.lstrip("-")
    if cursor:
        value, pk = _decode(cursor)
        after = "lt" if descending else "gt"
        queryset = queryset.filter(Q(**{f"{field}__{after}": value}) | Q(**{field: value, f"pk__{after}": pk}))
    direction = "-" if descending else ""
    rows = list(queryset.order_by(f"{direction}{field}", f"{direction}pk")[: page_size + 1])
    if len(rows) <= page_size:
        return Page(items=rows, next_cursor=None)
    last = rows[page_size - 1]
    return Page(items=rows[:page_size], next_cursor=_encode(getattr(last, field), last.pk))
