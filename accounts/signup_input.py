"""The signup hook's fast path for input that is already valid and canonical.

A signup flow sends the same well-formed fields every time. Checking them directly costs
tens of microseconds where the DRF serializer costs about half a millisecond, a tenth of
the hook's budget. Anything this module is not sure of — a missing field, a number where a
string belongs, surrounding whitespace, a non-canonical IP address or time — gets None, and
the view hands the request to the serializer, which accepts or explains as it always has.
So this path never accepts what the serializer refuses, nor reads a field differently
(tests/accounts/test_signup_fast_path.py compares the two on many inputs).
"""

from __future__ import annotations

import ipaddress
import re
from datetime import UTC, datetime

import msgspec
import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone

from accounts.models import Pathway
from accounts.usage_input import ACCOUNT_ID_PATTERN
from riskscore.features.signup import SignupInput

ACCOUNT_ID = re.compile(ACCOUNT_ID_PATTERN)
E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
# RFC 3339 as a gateway writes it; other forms the serializer accepts take the serializer's path.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$")
PATHWAYS = frozenset(Pathway.values)
# Longest value of each optional free-text field, here and in SignupView's serializer.
OPTIONAL_MAX_LENGTHS = {
    "organization": 200,
    "user_agent": 1000,
    "device_id": 200,
    "payment_fingerprint": 200,
    "phone": 16,
    "country": 2,
}
EMAIL_MAX_LENGTH = 320
_email_validator = EmailValidator()


def decode_canonical_signup(body: bytes) -> tuple[SignupInput, bool] | None:
    """The signup in a JSON body, and whether it gave its time, if every field is valid as sent;
    None to let the serializer decide."""
    try:
        data = msgspec.json.decode(body)
    except msgspec.DecodeError:
        return None
    if not isinstance(data, dict):
        return None
    return canonical_signup(data)


def canonical_signup(data: dict) -> tuple[SignupInput, bool] | None:
    required = [data.get(name) for name in ("account_id", "email", "pathway", "ip")]
    if not all(isinstance(value, str) and value and value == value.strip() for value in required):
        return None
    account_id, email, pathway, ip = required
    if not ACCOUNT_ID.match(account_id) or pathway not in PATHWAYS or not _is_email(email):
        return None
    if not _is_canonical_ip(ip):
        return None
    optional = {}
    for name, max_length in OPTIONAL_MAX_LENGTHS.items():
        value = data.get(name, "")
        if not isinstance(value, str) or len(value) > max_length:
            return None
        # The serializer trims every field but the user agent; a value it would change goes its way.
        if name != "user_agent" and value != value.strip():
            return None
        optional[name] = value
    if optional["phone"] and not E164.match(optional["phone"]):
        return None
    if optional["country"] and optional["country"] not in phonenumbers.SUPPORTED_REGIONS:
        return None  # lower case included: the serializer upper-cases it
    given = "created_at" in data
    created_at = _created_at(data["created_at"]) if given else timezone.now()
    if created_at is None:
        return None
    signup = SignupInput(account_id=account_id, email=email, pathway=pathway, ip=ip, created_at=created_at, **optional)
    return signup, given


def _is_email(value: str) -> bool:
    if len(value) > EMAIL_MAX_LENGTH:
        return False
    try:
        _email_validator(value)
    except ValidationError:
        return False
    return True


def _is_canonical_ip(value: str) -> bool:
    try:
        return str(ipaddress.ip_address(value)) == value
    except ValueError:
        return False


def _created_at(value) -> datetime | None:
    if not isinstance(value, str) or not RFC3339.match(value):
        return None
    try:
        return datetime.fromisoformat(value).astimezone(UTC)
    except ValueError:  # a day or hour out of range
        return None
