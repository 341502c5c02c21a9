"""Signup features: what a new account's attributes and its identifiers' reuse say about it.

SIGNUP_FEATURES is the one list: the model is trained on it and scored with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from accounts.models import IdentifierKind, Pathway
from intel import matching as partner_indicators
from riskscore.features import reference
from riskscore.features.identifiers import Identifier, signup_identifiers
from riskscore.features.reuse import WINDOWS, ReuseCounts, count_reuse

PATHWAY_CODES = {pathway.value: code for code, pathway in enumerate(Pathway)}

# Identifier kinds whose reuse is a feature, with the name used in feature names.
REUSE_KINDS: dict[IdentifierKind, str] = {
    IdentifierKind.PAYMENT_FINGERPRINT: "payment",
    IdentifierKind.DEVICE_ID: "device",
    IdentifierKind.IP: "ip",
    IdentifierKind.IP_PREFIX: "ip_prefix",
    IdentifierKind.EMAIL_DOMAIN: "email_domain",
    IdentifierKind.ORGANIZATION: "organization",
}

ATTRIBUTE_FEATURES = (
    "pathway_code",
    "email_domain_academic",
    "email_domain_disposable",
    "email_domain_free",
    "email_academic_lookalike",
    "email_local_length",
    "email_local_digit_count",
    "email_local_longest_digit_run",
    "email_local_randomness",
    "email_local_has_separator",
    "email_was_rewritten",
    "organization_missing",
    "organization_claims_academic",
    "organization_domain_match",
    "pathway_email_mismatch",
    "ip_is_cloud",
    "ip_is_ipv6",
    "ip_is_private",
    "user_agent_missing",
    "user_agent_headless",
    "user_agent_automation",
    "device_missing",
    "payment_missing",
    "phone_missing",
    "phone_invalid",
    "phone_voip",
    "phone_region_mismatch",
)
REUSE_FEATURES = tuple(f"shared_{name}_accounts_{window}" for name in REUSE_KINDS.values() for window in WINDOWS)
NETWORK_FEATURES = ("same_email_accounts_7d", "same_phone_accounts_7d", "ip_prefix_academic_share_7d")
PARTNER_FEATURES = (partner_indicators.FEATURE,)
SIGNUP_FEATURES: tuple[str, ...] = ATTRIBUTE_FEATURES + REUSE_FEATURES + NETWORK_FEATURES + PARTNER_FEATURES
CATEGORICAL_FEATURES = ("pathway_code",)

EDUCATIONAL_PATHWAYS = {Pathway.EDUCATION.value, Pathway.RESEARCH.value}


@dataclass(frozen=True, slots=True)
class SignupInput:
    """A validated signup, as the hook received it."""

    account_id: str
    email: str
    pathway: str
    ip: str
    created_at: datetime
    organization: str = ""
    user_agent: str = ""
    device_id: str = ""
    payment_fingerprint: str = ""
    phone: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class SignupEvidence:
    """Features of a signup plus the identifiers to record for it."""

    features: dict[str, float]
    identifiers: list[Identifier]
    email_normalized: str

    def features_for_storage(self) -> dict[str, float | None]:
        """JSON has no NaN: a missing value is stored as null."""
        return {name: None if math.isnan(value) else value for name, value in self.features.items()}


def extract_signup_features(signup: SignupInput) -> SignupEvidence:
    local, _, domain_name = signup.email.rpartition("@")
    domain = reference.email_domain_info(domain_name)
    email_normalized = reference.normalize_email(signup.email)
    shape = reference.local_part_shape(local.lower())
    ip = reference.ip_info(signup.ip)
    agent = reference.user_agent_info(signup.user_agent or None)
    phone = reference.phone_info(signup.phone or None, signup.country or None)
    is_academic = domain.kind == "academic"
    identifiers = signup_identifiers(
        email_normalized=email_normalized,
        email_domain=domain.domain,
        ip=signup.ip,
        organization=signup.organization,
        device_id=signup.device_id,
        payment_fingerprint=signup.payment_fingerprint,
        phone=phone_canonical(signup.phone),
        is_academic_email=is_academic,
    )
    # The /24's academic share is counted for every signup, but recorded only for academic ones.
    counted = identifiers if is_academic else [*identifiers, Identifier(IdentifierKind.ACADEMIC_IP_PREFIX, ip.prefix)]
    reuse = count_reuse(counted, at=signup.created_at)

    features: dict[str, float] = {
        "pathway_code": PATHWAY_CODES[signup.pathway],
        "email_domain_academic": is_academic,
        "email_domain_disposable": domain.kind == "disposable",
        "email_domain_free": domain.kind == "free",
        "email_academic_lookalike": reference.academic_lookalike(domain),
        "email_local_length": shape.length,
        "email_local_digit_count": shape.digit_count,
        "email_local_longest_digit_run": shape.longest_digit_run,
        "email_local_randomness": shape.randomness,
        "email_local_has_separator": shape.has_separator,
        "email_was_rewritten": email_normalized != signup.email.lower(),
        "organization_missing": not signup.organization,
        "organization_claims_academic": reference.claims_academic(signup.organization or None),
        "organization_domain_match": reference.organization_match(signup.organization or None, domain),
        "pathway_email_mismatch": signup.pathway in EDUCATIONAL_PATHWAYS and not is_academic,
        "ip_is_cloud": ip.is_cloud,
        "ip_is_ipv6": ip.version == 6,
        "ip_is_private": ip.is_private,
        "user_agent_missing": agent.is_missing,
        "user_agent_headless": agent.is_headless,
        "user_agent_automation": agent.is_automation,
        "device_missing": not signup.device_id,
        "payment_missing": not signup.payment_fingerprint,
        "phone_missing": phone.is_missing,
        "phone_invalid": not phone.is_missing and not phone.is_valid,
        "phone_voip": phone.is_voip,
        "phone_region_mismatch": phone.region_mismatch,
    }
    for kind, name in REUSE_KINDS.items():
        for window in WINDOWS:
            features[f"shared_{name}_accounts_{window}"] = reuse.get((kind, window), math.nan)
    features["same_email_accounts_7d"] = reuse.get((IdentifierKind.EMAIL_NORMALIZED, "7d"), 0)
    features["same_phone_accounts_7d"] = reuse.get((IdentifierKind.PHONE, "7d"), math.nan)
    features["ip_prefix_academic_share_7d"] = academic_share(reuse)
    features[partner_indicators.FEATURE] = partner_indicators.signup_matches(
        email=signup.email,
        ip=signup.ip,
        payment_fingerprint=signup.payment_fingerprint,
        device_id=signup.device_id,
        phone=phone_canonical(signup.phone),
        at=signup.created_at,
    )
    return SignupEvidence(
        features={name: float(features[name]) for name in SIGNUP_FEATURES},
        identifiers=identifiers,
        email_normalized=email_normalized,
    )


def features_from_storage(stored: dict[str, float | None]) -> dict[str, float]:
    """Stored signup features back as model input: null (JSON has no NaN) is a missing value."""
    return {name: math.nan if stored.get(name) is None else stored[name] for name in SIGNUP_FEATURES}


def academic_share(reuse: ReuseCounts) -> float:
    """Share of the /24's recent signups that used an academic email: high on a campus network."""
    on_prefix = reuse.get((IdentifierKind.IP_PREFIX, "7d"), 0)
    if not on_prefix:
        return math.nan
    return min(1.0, reuse.get((IdentifierKind.ACADEMIC_IP_PREFIX, "7d"), 0) / on_prefix)


def phone_canonical(phone: str) -> str:
    return phone.replace(" ", "")
