"""Indicator export: a STIX 2.1 bundle of the campaigns analysts confirmed, and their telling identifiers.

A cluster with members labelled abusive becomes a campaign; an identifier becomes an
indicator only when it tells: shared by at least INTEL_MIN_SHARING_MEMBERS of the
campaign's members and by at most INTEL_MAX_LEGITIMATE_SHARE as many other accounts
not labelled abusive. Popular webmail and academic email domains, cloud and private
networks are never exported, however the counts fall: a partner would block real
customers with them. Ids are UUIDv5 of what they stand for, so a repeated export
creates no duplicates at a partner.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from math import floor

import stix2
from django.conf import settings
from django.db.models import Count, Q
from stix2.exceptions import InvalidValueError
from stix2patterns.validator import run_validator

from accounts.models import Account, AnalystDecision, IdentifierSighting, Label, UsageEvent
from accounts.models import IdentifierKind as ReuseKind
from clusters.models import Cluster
from intel.identifiers import KINDS, SharedIdentifier, canonical_identifiers, parse_pattern, shared, template
from intel.models import IdentifierKind
from riskscore.features import reference
from riskscore.features.identifiers import identifier_key

# Namespace of every UUIDv5 this service gives to a STIX object.
NAMESPACE = uuid.UUID("1d7c5a52-3b3e-5f0e-9a53-6f1f0c1a2b7d")
TLP_MARKINGS = {"white": stix2.TLP_WHITE, "green": stix2.TLP_GREEN, "amber": stix2.TLP_AMBER, "red": stix2.TLP_RED}
# Where the reuse index counts each shareable kind (under its own keyed hash).
REUSE_KIND = {
    IdentifierKind.PAYMENT_FINGERPRINT: ReuseKind.PAYMENT_FINGERPRINT,
    IdentifierKind.DEVICE_ID: ReuseKind.DEVICE_ID,
    IdentifierKind.PHONE: ReuseKind.PHONE,
    IdentifierKind.EMAIL_DOMAIN: ReuseKind.EMAIL_DOMAIN,
    IdentifierKind.IP_PREFIX: ReuseKind.IP_PREFIX,
}
NEVER_SHARED_DOMAIN_KINDS = {"free", "academic"}
MEMBER_FIELDS = ("pk", "email", "ip", "payment_fingerprint", "device_id", "phone")


class TemplateIndicator(stix2.Indicator):
    """An Indicator whose pattern is the contract's fixed template.

    stix2 runs its ANTLR pattern parser on every Indicator (about 10 ms each, most of
    a large export). Every exported pattern is one template with a kind and a hex
    digest filled in, so the template is validated by that parser once per kind, and
    each pattern is checked to be exactly the template: the same guarantee.
    """

    def _check_object_constraints(self):
        super(stix2.Indicator, self)._check_object_constraints()
        if self.valid_until <= self.valid_from:
            raise ValueError(f"{self.id} 'valid_until' must be greater than 'valid_from'")
        identifier = parse_pattern(self.pattern)
        if identifier is None or not _template_is_valid(identifier.kind):
            raise InvalidValueError(self.__class__, "pattern", "not the contract's identifier pattern")


@functools.cache
def _template_is_valid(kind: str) -> bool:
    return kind in KINDS and not run_validator(SharedIdentifier(kind, "0" * 64).pattern, stix_version="2.1")


@dataclass(frozen=True, slots=True)
class TellingIdentifier:
    identifier: SharedIdentifier
    members: int
    others: int


def stix_id(kind: str, *parts: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, '/'.join((settings.INTEL_PRODUCER, kind, *parts)))}"


def export_bundle(*, since: datetime | None) -> dict:
    marking = TLP_MARKINGS[settings.INTEL_TLP]
    objects: list = [marking]
    indicators: dict[str, stix2.Indicator] = {}
    for cluster in clusters_to_export(since=since):
        campaign = _campaign(cluster, marking)
        objects.append(campaign)
        for telling in telling_identifiers(cluster):
            indicator = indicators.get(_indicator_id(telling.identifier)) or _indicator(cluster, telling, marking)
            if indicator.id not in indicators:
                indicators[indicator.id] = indicator
                objects.append(indicator)
            objects.append(
                stix2.Relationship(
                    id=stix_id("relationship", indicator.id, "indicates", campaign.id),
                    relationship_type="indicates",
                    source_ref=indicator.id,
                    target_ref=campaign.id,
                    created=campaign.created,
                    modified=campaign.modified,
                    object_marking_refs=[marking.id],
                )
            )
    return json.loads(stix2.Bundle(objects=objects).serialize())


def clusters_to_export(*, since: datetime | None) -> list[Cluster]:
    """Clusters with members labelled abusive whose campaign changed after `since`: the cluster itself, or a label."""
    confirmed = Account.objects.filter(label=Label.ABUSIVE, cluster_id__isnull=False).values("cluster_id")
    clusters = Cluster.objects.filter(cluster_id__in=confirmed)
    if since is not None:
        newly_labelled = AnalystDecision.objects.filter(
            label=Label.ABUSIVE, created_at__gt=since, account__cluster_id__isnull=False
        ).values("account__cluster_id")
        clusters = clusters.filter(Q(changed_at__gt=since) | Q(cluster_id__in=newly_labelled))
    return list(clusters.order_by("cluster_id"))


def telling_identifiers(cluster: Cluster) -> list[TellingIdentifier]:
    members = (
        Account.objects.filter(cluster_id=cluster.cluster_id)
        .exclude(label=Label.LEGITIMATE)
        .values_list(*MEMBER_FIELDS)
    )
    sharing: Counter[tuple[str, str]] = Counter()
    for _pk, email, ip, payment, device, phone in members:
        sharing.update(
            set(
                canonical_identifiers(
                    email=email, ip=ip, payment_fingerprint=payment, device_id=device, phone_number=phone
                )
            )
        )
    candidates = {
        key: count
        for key, count in sharing.items()
        if count >= settings.INTEL_MIN_SHARING_MEMBERS and not _never_shared(*key)
    }
    others = _other_accounts_sharing(cluster, list(candidates))
    found = [
        TellingIdentifier(shared(kind, canonical), members=count, others=others.get((kind, canonical), 0))
        for (kind, canonical), count in candidates.items()
    ]
    found += _telling_templates(cluster)
    telling = [t for t in found if t.others <= floor(settings.INTEL_MAX_LEGITIMATE_SHARE * t.members)]
    return sorted(telling, key=lambda t: (t.identifier.kind, t.identifier.hmac_sha256))


def _never_shared(kind: str, canonical: str) -> bool:
    if kind == IdentifierKind.EMAIL_DOMAIN:
        return reference.email_domain_info(canonical).kind in NEVER_SHARED_DOMAIN_KINDS
    if kind == IdentifierKind.IP_PREFIX:
        network = reference.ip_info(canonical.partition("/")[0])
        return network.is_cloud or network.is_private
    return False


def _reuse_canonical(kind: str, canonical: str) -> str:
    return reference.email_domain_info(canonical).domain if kind == IdentifierKind.EMAIL_DOMAIN else canonical


def _other_accounts_sharing(cluster: Cluster, candidates: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """Accounts outside the cluster, not labelled abusive, seen with each candidate (from the reuse index)."""
    counts: dict[tuple[str, str], int] = {}
    for kind, reuse_kind in REUSE_KIND.items():
        by_key = {
            identifier_key(reuse_kind, _reuse_canonical(k, canonical)): (k, canonical)
            for k, canonical in candidates
            if k == kind
        }
        if not by_key:
            continue
        rows = (
            IdentifierSighting.objects.filter(kind=reuse_kind, value_key__in=list(by_key))
            .exclude(account__cluster_id=cluster.cluster_id)
            .exclude(account__label=Label.ABUSIVE)
            .values("value_key")
            .annotate(accounts=Count("account_id", distinct=True))
        )
        counts.update({by_key[row["value_key"]]: row["accounts"] for row in rows})
    return counts


def _telling_templates(cluster: Cluster) -> list[TellingIdentifier]:
    shared_by_members = dict(
        UsageEvent.objects.filter(account__cluster_id=cluster.cluster_id, template_fingerprint__isnull=False)
        .exclude(account__label=Label.LEGITIMATE)
        .values("template_fingerprint")
        .annotate(accounts=Count("account_id", distinct=True))
        .filter(accounts__gte=settings.INTEL_MIN_SHARING_MEMBERS)
        .values_list("template_fingerprint", "accounts")
    )
    if not shared_by_members:
        return []
    outside = dict(
        UsageEvent.objects.filter(template_fingerprint__in=list(shared_by_members))
        .exclude(account__cluster_id=cluster.cluster_id)
        .exclude(account__label=Label.ABUSIVE)
        .values("template_fingerprint")
        .annotate(accounts=Count("account_id", distinct=True))
        .values_list("template_fingerprint", "accounts")
    )
    return [
        TellingIdentifier(shared(*template(fingerprint)), members=count, others=outside.get(fingerprint, 0))
        for fingerprint, count in shared_by_members.items()
    ]


def _modified(cluster: Cluster) -> datetime:
    return max(cluster.created_at, cluster.changed_at)


def _campaign(cluster: Cluster, marking) -> stix2.Campaign:
    return stix2.Campaign(
        id=stix_id("campaign", cluster.cluster_id),
        name=f"{settings.INTEL_PRODUCER} campaign {cluster.cluster_id}",
        description=f"{cluster.size} accounts tied by shared evidence; members confirmed abusive by analysts",
        first_seen=cluster.first_seen,
        last_seen=cluster.last_seen,
        created=cluster.created_at,
        modified=_modified(cluster),
        object_marking_refs=[marking.id],
    )


def _indicator_id(identifier: SharedIdentifier) -> str:
    return stix_id("indicator", identifier.kind, identifier.hmac_sha256)


def _indicator(cluster: Cluster, telling: TellingIdentifier, marking) -> stix2.Indicator:
    valid_from = cluster.first_seen
    return TemplateIndicator(
        id=_indicator_id(telling.identifier),
        name=f"{telling.identifier.kind.replace('_', ' ')} shared by {telling.members} accounts of one campaign",
        indicator_types=["malicious-activity"],
        pattern=telling.identifier.pattern,
        pattern_type="stix",
        valid_from=valid_from,
        valid_until=max(cluster.last_seen, valid_from) + timedelta(days=settings.INTEL_INDICATOR_VALID_DAYS),
        created=cluster.created_at,
        modified=_modified(cluster),
        object_marking_refs=[marking.id],
    )
