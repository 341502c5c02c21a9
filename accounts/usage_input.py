"""Validating usage events at ingest speed: each event of a batch checked on its own with msgspec.

A 1,000-event request is validated in a few milliseconds (a DRF serializer per event took longer than
the prompt analysis). The rules are the contract's: required fields, counts >= 0, RFC 3339 times with
a zone, IP addresses, account ids as at signup; a failing event is rejected alone, with its reason.
"""

from __future__ import annotations

import ipaddress
from datetime import UTC, datetime
from typing import Annotated

import msgspec

from accounts.errors import Rejection
from accounts.ingest import EventInput

ACCOUNT_ID_PATTERN = r"^[A-Za-z0-9._:@-]{1,128}$"  # as at signup
MAX_INT32 = 2**31 - 1
MAX_PROMPT_CHARS = 200_000

Count = Annotated[int, msgspec.Meta(ge=0, le=MAX_INT32)]


class UsageEventFields(msgspec.Struct, kw_only=True):
    event_id: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    account_id: Annotated[str, msgspec.Meta(pattern=ACCOUNT_ID_PATTERN)]
    timestamp: Annotated[datetime, msgspec.Meta(tz=True)]
    ip: Annotated[str, msgspec.Meta(max_length=45)]
    model: Annotated[str, msgspec.Meta(min_length=1, max_length=128)]
    input_tokens: Count
    output_tokens: Count
    # Absent and present are told apart: null is not a prompt (nor a count, nor a user agent).
    prompt: Annotated[str, msgspec.Meta(max_length=MAX_PROMPT_CHARS)] | msgspec.UnsetType = msgspec.UNSET
    tool_calls: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    user_agent: Annotated[str, msgspec.Meta(max_length=500)] = ""


class InvalidEvent(ValueError):
    pass


def parse_events(raw_events: list) -> tuple[list[EventInput], list[Rejection]]:
    """Valid events in order, and a rejection (index, reason) for each invalid one."""
    valid, invalid = [], []
    for index, raw in enumerate(raw_events):
        if not isinstance(raw, dict):
            invalid.append(Rejection(index, "invalid_event", "not an object"))
            continue
        try:
            valid.append(_event(index, raw))
        except (msgspec.ValidationError, InvalidEvent) as error:
            invalid.append(Rejection(index, "invalid_event", _reason(error)))
    return valid, invalid


def _event(index: int, raw: dict) -> EventInput:
    fields = msgspec.convert(raw, UsageEventFields)
    for name in ("event_id", "account_id", "model", "user_agent"):
        _storable(name, getattr(fields, name))
    try:
        ip = str(ipaddress.ip_address(fields.ip))
    except ValueError:
        raise InvalidEvent("ip: enter a valid IPv4 or IPv6 address - at `$.ip`") from None
    return EventInput(
        index=index,
        event_id=fields.event_id,
        account_id=fields.account_id,
        timestamp=fields.timestamp.astimezone(UTC),
        ip=ip,
        model=fields.model,
        input_tokens=fields.input_tokens,
        output_tokens=fields.output_tokens,
        tool_calls=fields.tool_calls,
        user_agent=fields.user_agent,
        prompt=None if fields.prompt is msgspec.UNSET else fields.prompt,
    )


def _storable(name: str, value: str) -> None:
    """Stored text must be valid UTF-8: JSON's escapes can smuggle in lone surrogates or NUL."""
    if "\x00" in value:
        raise InvalidEvent(f"{name}: null characters are not allowed - at `$.{name}`")
    try:
        value.encode()
    except UnicodeEncodeError:
        raise InvalidEvent(f"{name}: surrogate characters are not allowed - at `$.{name}`") from None


def _reason(error: Exception) -> str:
    # msgspec says "Expected `int` >= 0, got `-5` - at `$.input_tokens`": the path names the field.
    return str(error)
