"""Finding existing accounts that match newly imported indicators, so they can be re-scored.

Hashes cannot be reversed, so each account's identifiers are put in canonical form
and HMAC-ed (only for the kinds the import carried), in batches.
"""

from __future__ import annotations

from accounts.models import Account, UsageEvent
from intel.identifiers import SharedIdentifier, canonical_identifiers, shared, template
from intel.models import IdentifierKind

BATCH = 5000


def accounts_matching(identifiers: set[SharedIdentifier]) -> list[int]:
    kinds = {i.kind for i in identifiers}
    wanted = {(i.kind, i.hmac_sha256) for i in identifiers}
    matched: set[int] = set()
    if kinds - {IdentifierKind.TEMPLATE_FINGERPRINT}:
        last_pk = 0
        fields = ("pk", "email", "ip", "payment_fingerprint", "device_id", "phone")
        while rows := list(Account.objects.filter(pk__gt=last_pk).order_by("pk").values_list(*fields)[:BATCH]):
            for pk, email, ip, payment, device, phone in rows:
                for kind, canonical in canonical_identifiers(
                    email=email, ip=ip, payment_fingerprint=payment, device_id=device, phone_number=phone
                ):
                    if kind in kinds and (kind, shared(kind, canonical).hmac_sha256) in wanted:
                        matched.add(pk)
            last_pk = rows[-1][0]
    if IdentifierKind.TEMPLATE_FINGERPRINT in kinds:
        fingerprints = UsageEvent.objects.filter(template_fingerprint__isnull=False).values_list(
            "template_fingerprint", flat=True
        )
        hits = [fp for fp in fingerprints.distinct().iterator() if (*_hmac(template(fp)),) in wanted]
        if hits:
            matched.update(
                UsageEvent.objects.filter(template_fingerprint__in=hits).values_list("account_id", flat=True).distinct()
            )
    return sorted(matched)


def _hmac(pair: tuple[str, str]) -> tuple[str, str]:
    identifier = shared(*pair)
    return identifier.kind, identifier.hmac_sha256
