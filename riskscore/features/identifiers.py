"""Canonical identifiers of a signup and the keyed hashes the reuse index stores.

One place says which identifiers an account is counted under, so the hook that
records them and the features that count them can never disagree.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache

from django.conf import settings

from accounts.models import IdentifierKind
from riskscore.features import reference


@dataclass(frozen=True, slots=True)
class Identifier:
    kind: IdentifierKind
    canonical: str

    @property
    def value_key(self) -> int:
        return identifier_key(self.kind, self.canonical)


@cache
def _hash_key() -> bytes:
    return hashlib.sha256(settings.IDENTIFIER_HASH_KEY.encode()).digest()


def identifier_key(kind: IdentifierKind, canonical: str) -> int:
    """A keyed 64-bit hash as a signed integer (fits a BIGINT column)."""
    digest = hashlib.blake2b(f"{int(kind)}:{canonical}".encode(), digest_size=8, key=_hash_key()).digest()
    return int.from_bytes(digest, "big", signed=True)


def canonical_organization(organization: str) -> str:
    return " ".join(organization.casefold().split())


def signup_identifiers(
    *,
    email_normalized: str,
    email_domain: str,
    ip: str,
    organization: str,
    device_id: str,
    payment_fingerprint: str,
    phone: str,
    is_academic_email: bool,
) -> list[Identifier]:
    """Every identifier a signup is counted under (blank optional fields are skipped)."""
    prefix = reference.ip_prefix(ip)
    found = [
        Identifier(IdentifierKind.EMAIL_NORMALIZED, email_normalized),
        Identifier(IdentifierKind.EMAIL_DOMAIN, email_domain),
        Identifier(IdentifierKind.IP, ip),
        Identifier(IdentifierKind.IP_PREFIX, prefix),
    ]
    if is_academic_email:
        found.append(Identifier(IdentifierKind.ACADEMIC_IP_PREFIX, prefix))
    optional = (
        (IdentifierKind.PAYMENT_FINGERPRINT, payment_fingerprint),
        (IdentifierKind.DEVICE_ID, device_id),
        (IdentifierKind.PHONE, phone),
        (IdentifierKind.ORGANIZATION, canonical_organization(organization)),
    )
    found.extend(Identifier(kind, value) for kind, value in optional if value)
    return found
