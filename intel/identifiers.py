"""Identifiers as they travel between providers: canonical forms, and their HMAC under the sharing key.

Canonical forms (the contract's): payment fingerprint and device id as given, phone
in E.164, email domain lower-cased after '@', IP prefix the /24 or /48 network,
template fingerprint riskscore's own prompt-template fingerprint as a decimal.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

from django.conf import settings

from intel.models import IdentifierKind
from riskscore.features import reference

PATTERN = re.compile(
    r"^\[x-riskscore-identifier:kind = '(?P<kind>[a-z_]+)'"
    r" AND x-riskscore-identifier:hmac_sha256 = '(?P<hmac>[0-9a-f]{64})'\]$"
)
KINDS = frozenset(kind.value for kind in IdentifierKind)


@dataclass(frozen=True, slots=True)
class SharedIdentifier:
    kind: str
    hmac_sha256: str

    @property
    def pattern(self) -> str:
        return (
            f"[x-riskscore-identifier:kind = '{self.kind}' AND "
            f"x-riskscore-identifier:hmac_sha256 = '{self.hmac_sha256}']"
        )


def _key() -> bytes:
    return settings.INTEL_SHARING_KEY.encode()


def shared(kind: str, canonical: str) -> SharedIdentifier:
    digest = hmac.new(_key(), canonical.encode(), hashlib.sha256).hexdigest()
    return SharedIdentifier(kind=kind, hmac_sha256=digest)


def email_domain(email: str) -> str:
    return email.rpartition("@")[2].lower()


def phone(value: str) -> str:
    return value.replace(" ", "")


def canonical_identifiers(
    *, email: str, ip: str, payment_fingerprint: str = "", device_id: str = "", phone_number: str = ""
) -> list[tuple[str, str]]:
    """(kind, canonical form) of everything a signup or account carries that can be shared; blanks skipped."""
    found = [(IdentifierKind.EMAIL_DOMAIN.value, email_domain(email)), (IdentifierKind.IP_PREFIX.value, ip_prefix(ip))]
    for kind, value in (
        (IdentifierKind.PAYMENT_FINGERPRINT, payment_fingerprint),
        (IdentifierKind.DEVICE_ID, device_id),
        (IdentifierKind.PHONE, phone(phone_number)),
    ):
        if value:
            found.append((kind.value, value))
    return found


def ip_prefix(ip: str) -> str:
    return reference.ip_prefix(ip)


def template(fingerprint: int) -> tuple[str, str]:
    return IdentifierKind.TEMPLATE_FINGERPRINT.value, str(int(fingerprint))


def parse_pattern(pattern: str) -> SharedIdentifier | None:
    """The identifier a pattern in the contract's exact form names; None for any other pattern."""
    match = PATTERN.match(pattern)
    if match is None or match["kind"] not in KINDS:
        return None
    return SharedIdentifier(kind=match["kind"], hmac_sha256=match["hmac"])
