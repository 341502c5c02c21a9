"""Keeping the link graph: new evidence (signup sightings, accounts, usage events) becomes LinkEvidence rows.

Every column is a keyed 64-bit hash of what is shared (an identifier's hash, a time
bucket, a template fingerprint), never the raw value. Reads start a little before
the last id read, because rows with lower ids can commit later; writes ignore rows
already present, so reading twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from accounts.models import Account, IdentifierKind, IdentifierSighting, UsageEvent
from clusters.graph.kinds import RULES, LinkKind
from clusters.models import LinkEvidence
from riskscore.features import reference
from riskscore.features.identifiers import identifier_key

# Rows with ids this far below the last one read are read again (idempotently).
REREAD_IDS = 5000
BATCH = 5000

SIGHTING_KINDS: dict[int, LinkKind] = {
    IdentifierKind.PAYMENT_FINGERPRINT: LinkKind.PAYMENT_FINGERPRINT,
    IdentifierKind.DEVICE_ID: LinkKind.DEVICE_ID,
    IdentifierKind.PHONE: LinkKind.PHONE,
    IdentifierKind.EMAIL_NORMALIZED: LinkKind.MAILBOX,
    IdentifierKind.IP: LinkKind.SIGNUP_IP,
    IdentifierKind.IP_PREFIX: LinkKind.SIGNUP_IP_PREFIX,
    IdentifierKind.ORGANIZATION: LinkKind.ORGANIZATION,
}


@dataclass(frozen=True, slots=True)
class ReadThrough:
    sightings: int
    usage: int
    accounts: int


def column_key(kind: LinkKind, value: object, at: datetime) -> int:
    """The column an account joins: the value, in its kind's time window when it has one."""
    window = RULES[kind].window_seconds
    bucket = int(at.timestamp()) // window if window else ""
    return identifier_key(kind, f"link:{value}:{bucket}")


def email_pattern(local: str) -> str:
    """The shape a generator leaves: letter runs as 'a', digit runs by length ('jsmith4821' → 'a9999')."""
    local = local.split("+", 1)[0].lower()
    return re.sub(r"[0-9]", "9", re.sub(r"[^0-9._-]+", "a", local))


def update_link_graph(*, since: ReadThrough) -> ReadThrough:
    """Turn evidence newer than `since` into links; returns how far each source has now been read."""
    return ReadThrough(
        sightings=_from_sightings(since.sightings),
        usage=_from_usage(since.usage),
        accounts=_from_accounts(since.accounts),
    )


def _from_sightings(after: int) -> int:
    last = IdentifierSighting.objects.aggregate(last=Max("id"))["last"] or 0
    start = max(0, after - REREAD_IDS)
    while start < last:
        stop = start + BATCH * 4
        rows = list(
            IdentifierSighting.objects.filter(id__gt=start, id__lte=stop).values_list(
                "kind", "value_key", "account_id", "seen_at"
            )
        )
        links = []
        domains = []
        for kind, value_key, account_id, seen_at in rows:
            if kind in SIGHTING_KINDS:
                link_kind = SIGHTING_KINDS[kind]
                links.append((account_id, link_kind, column_key(link_kind, value_key, seen_at), seen_at))
            elif kind == IdentifierKind.EMAIL_DOMAIN:
                domains.append((account_id, value_key, seen_at))
        links += domain_links(domains)
        _store(links)
        start = stop
    return max(last, after)


def domain_links(domains: list[tuple[int, int, datetime]]) -> list[tuple]:
    """Custom and disposable domains link; a real institution's weakly; webmail not at all."""
    if not domains:
        return []
    classes = dict(
        Account.objects.filter(pk__in={account_id for account_id, _, _ in domains}).values_list("pk", "signup_features")
    )
    links = []
    for account_id, value_key, seen_at in domains:
        features = classes.get(account_id) or {}
        if features.get("email_academic_lookalike"):
            kind = LinkKind.LOOKALIKE_DOMAIN
        elif features.get("email_domain_academic"):
            kind = LinkKind.ACADEMIC_DOMAIN
        elif features.get("email_domain_free"):
            continue
        else:
            kind = LinkKind.EMAIL_DOMAIN
        links.append((account_id, kind, column_key(kind, value_key, seen_at), seen_at))
    return links


def _from_accounts(after: int) -> int:
    last = Account.objects.aggregate(last=Max("id"))["last"] or 0
    start = max(0, after - REREAD_IDS)
    while start < last:
        stop = start + BATCH * 4
        rows = Account.objects.filter(id__gt=start, id__lte=stop).values_list("pk", "email", "created_at")
        links = []
        for pk, email, created_at in rows:
            local, _, domain = email.lower().rpartition("@")
            if any(ch.isdigit() for ch in local):
                pattern = f"{domain}:{email_pattern(local)}"
                kind = LinkKind.EMAIL_PATTERN
                links.append((pk, kind, column_key(kind, pattern, created_at), created_at))
        _store(links)
        start = stop
    return max(last, after)


def _from_usage(after: int) -> int:
    last = UsageEvent.objects.aggregate(last=Max("id"))["last"] or 0
    start = max(0, after - REREAD_IDS)
    while start < last:
        stop = start + BATCH * 4
        rows = UsageEvent.objects.filter(id__gt=start, id__lte=stop).values_list(
            "account_id", "timestamp", "ip", "model", "template_fingerprint", "category"
        )
        _store(usage_links(rows))
        start = stop
    return max(last, after)


def usage_links(rows: Iterable[tuple]) -> list[tuple]:
    """Links of usage events (account, timestamp, ip, model, template, category); one per account and column."""
    earliest: dict[tuple[int, LinkKind, int], datetime] = {}

    def add(account_id: int, kind: LinkKind, value: object, at: datetime) -> None:
        key = (account_id, kind, column_key(kind, value, at))
        if key not in earliest or at < earliest[key]:
            earliest[key] = at

    for account_id, at, ip, model, template, category in rows:
        add(account_id, LinkKind.USAGE_IP, ip, at)
        add(account_id, LinkKind.USAGE_IP_PREFIX, reference.ip_prefix(ip), at)
        if template is not None:
            add(account_id, LinkKind.TEMPLATE, template, at)
        add(account_id, LinkKind.SYNCHRONY, f"{model}:{template if template is not None else category}", at)
        add(account_id, LinkKind.ACTIVITY, f"{model}:{category}", at)
    return [(account_id, kind, key, at) for (account_id, kind, key), at in earliest.items()]


def _store(links: list[tuple]) -> None:
    LinkEvidence.objects.bulk_create(
        (LinkEvidence(account_id=a, kind=int(k), column_key=c, seen_at=int(t.timestamp())) for a, k, c, t in links),
        batch_size=BATCH,
        ignore_conflicts=True,
    )
