"""Matching signups and accounts against live partner indicators, and what a match does to a decision.

An indicator counts at an event time when it is not revoked and that time lies in
[valid_from, valid_until). A match is the `partner_indicator_matches` feature (so a
model trained on labelled matches learns its weight) and, whatever that weight, the
`partner_indicator` reason with a decision of at least `review`: a partner's
confirmed campaign is worth a human look before full access.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from datetime import datetime

from django.conf import settings

from accounts.models import Account, UsageEvent
from intel.identifiers import SharedIdentifier, canonical_identifiers, shared, template
from intel.models import IdentifierKind, ImportedIndicator
from riskscore import policy
from riskscore.reasons import MAX_REASONS, Reason
from riskscore.scoring import Score

FEATURE = "partner_indicator_matches"
REASON_CODE = "partner_indicator"
DECISION_ORDER = ("allow", "verify", "review", "deny")
MATCH_DECISION = "review"
TEMPLATES_MATCHED = 1000  # an account's prompt templates matched at most (campaigns vary payloads)


class _KindsPresent:
    """Which kinds any indicator was imported for, per process for CACHE_TTL_SECONDS: most installs
    have none, and then the signup hook spends no query on partner indicators."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kinds: frozenset[str] | None = None
        self._checked_at = 0.0

    def get(self) -> frozenset[str]:
        if self._kinds is not None and time.monotonic() - self._checked_at < settings.CACHE_TTL_SECONDS:
            return self._kinds
        with self._lock:
            self._kinds = frozenset(ImportedIndicator.objects.values_list("kind", flat=True).distinct())
            self._checked_at = time.monotonic()
            return self._kinds

    def clear(self) -> None:
        self._kinds = None


kinds_present = _KindsPresent()


def count_matches(wanted: dict[int, tuple[set[SharedIdentifier], datetime]]) -> dict[int, int]:
    """For each key, how many of its distinct shared identifiers match an indicator live at its event time
    (unrevoked, and that time in [valid_from, valid_until)): one query for all of them."""
    digests = {identifier.hmac_sha256 for identifiers, _ in wanted.values() for identifier in identifiers}
    validity = defaultdict(list)  # (kind, digest) -> [(valid_from, valid_until)] of its unrevoked indicators
    if digests:
        for kind, digest, valid_from, valid_until in ImportedIndicator.objects.filter(
            revoked=False, hmac_sha256__in=digests
        ).values_list("kind", "hmac_sha256", "valid_from", "valid_until"):
            validity[(kind, digest)].append((valid_from, valid_until))
    return {
        key: sum(
            any(start <= at and (end is None or end > at) for start, end in validity[(i.kind, i.hmac_sha256)])
            for i in identifiers
        )
        for key, (identifiers, at) in wanted.items()
    }


def _shared_identifiers(
    present: frozenset[str], *, email: str, ip: str, payment_fingerprint: str, device_id: str, phone: str
) -> set[SharedIdentifier]:
    """What a signup or account carries, as shared, of the kinds any indicator was imported for."""
    identifiers = canonical_identifiers(
        email=email, ip=ip, payment_fingerprint=payment_fingerprint, device_id=device_id, phone_number=phone
    )
    return {shared(kind, canonical) for kind, canonical in identifiers if kind in present}


def signup_matches(*, email: str, ip: str, payment_fingerprint: str, device_id: str, phone: str, at: datetime) -> int:
    present = kinds_present.get()
    if not present:  # the signup hook's usual case: nothing imported, nothing to canonicalise
        return 0
    identifiers = _shared_identifiers(
        present, email=email, ip=ip, payment_fingerprint=payment_fingerprint, device_id=device_id, phone=phone
    )
    return count_matches({0: (identifiers, at)})[0] if identifiers else 0


def account_matches(account: Account) -> int:
    """Matches of an account's signup identifiers and prompt templates, at its newest event time."""
    return accounts_matches([account])[account.pk]


def accounts_matches(accounts: list[Account]) -> dict[int, int]:
    """account_matches of many accounts (a re-score batch) from two queries, not two per account."""
    present = kinds_present.get()
    if not present:  # most installs: nothing imported, no query
        return {account.pk: 0 for account in accounts}
    wanted = {
        account.pk: (
            _shared_identifiers(
                present,
                email=account.email,
                ip=account.ip,
                payment_fingerprint=account.payment_fingerprint,
                device_id=account.device_id,
                phone=account.phone,
            ),
            account.evidence_through or account.created_at,
        )
        for account in accounts
    }
    if IdentifierKind.TEMPLATE_FINGERPRINT in present:
        fingerprints = (
            UsageEvent.objects.filter(account_id__in=list(wanted), template_fingerprint__isnull=False)
            .values_list("account_id", "template_fingerprint")
            .distinct()
        )
        per_account: dict[int, int] = defaultdict(int)
        for pk, fingerprint in fingerprints:
            if per_account[pk] < TEMPLATES_MATCHED:
                per_account[pk] += 1
                wanted[pk][0].add(shared(*template(fingerprint)))
    return count_matches(wanted)


def flag_partner_match(
    *, score: Score, outcome: policy.Outcome, matches: float, pathway: str, document: dict
) -> tuple[Score, policy.Outcome]:
    """A matching signup or account: the partner_indicator reason first, and at least a review decision."""
    if not matches or matches != matches:  # 0 or NaN
        return score, outcome
    weight = next((r.weight for r in score.reasons if r.code == REASON_CODE), 0.0)
    reason = Reason(
        code=REASON_CODE,
        description=f"{int(matches)} of its identifiers match indicators shared by partner providers",
        weight=weight,
    )
    others = [r for r in score.reasons if r.code != REASON_CODE]
    score = Score(
        probability=score.probability,
        raw_margin=score.raw_margin,
        reasons=[reason, *others][:MAX_REASONS],
        model_version=score.model_version,
    )
    if DECISION_ORDER.index(outcome.decision) >= DECISION_ORDER.index(MATCH_DECISION):
        return score, outcome
    steps = policy.resolve(document, pathway)["verification"][outcome.band]
    return score, policy.Outcome(
        band=outcome.band,
        decision=MATCH_DECISION,
        verification=list(steps),
        status=document["status_for_decision"][MATCH_DECISION],
    )
