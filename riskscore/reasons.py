"""Stable reason codes: per-feature contributions grouped into codes with plain descriptions.

A code names a fact about the account (a shared card, a disposable domain); its
weight is the sum of its features' contributions to the raw margin (log-odds).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

MAX_REASONS = 5
# Contributions smaller than this (in log-odds) explain nothing worth showing.
MIN_REASON_WEIGHT = 0.02


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    description: str
    weight: float

    def as_dict(self) -> dict:
        return {"code": self.code, "description": self.description, "weight": self.weight}


def _n(value: float) -> str:
    return "an unknown number of" if math.isnan(value) else f"{int(value)}"


def _shared(noun: str, key: str) -> Callable[[dict], str]:
    def describe(f: dict) -> str:
        return (
            f"{noun} seen on {_n(f[f'shared_{key}_accounts_1h'])} other accounts in 1h, "
            f"{_n(f[f'shared_{key}_accounts_24h'])} in 24h, {_n(f[f'shared_{key}_accounts_7d'])} in 7 days"
        )

    return describe


def _flag(yes: str, no: str, feature: str) -> Callable[[dict], str]:
    return lambda f: yes if f[feature] >= 0.5 else no


def _windows(key: str) -> tuple[str, ...]:
    return tuple(f"shared_{key}_accounts_{window}" for window in ("1h", "24h", "7d"))


@dataclass(frozen=True, slots=True)
class ReasonCode:
    code: str
    features: tuple[str, ...]
    describe: Callable[[dict], str]


def _pct(value: float) -> str:
    return "an unknown share" if math.isnan(value) else f"{value:.0%}"


def _top_category(f: dict) -> str:
    shares = {name.removeprefix("usage_share_"): value for name, value in f.items() if name.startswith("usage_share_")}
    shares = {name: value for name, value in shares.items() if not math.isnan(value)}
    if not shares:
        return "no analysed prompts"
    top = max(shares, key=shares.get)
    return f"{_pct(shares[top])} of prompts are {top.replace('_', ' ')}"


def _pivot(f: dict) -> str:
    hours = f["usage_new_model_adoption_hours"]
    if math.isnan(hours):
        return "no traffic moved to a newly released model"
    return f"{_pct(f['usage_new_model_share'])} of requests on a model that appeared {hours:.0f}h before first use"


USAGE_REASON_CODES: tuple[ReasonCode, ...] = (
    ReasonCode(
        "usage_volume",
        ("usage_requests_7d", "usage_active_hours_7d", "usage_input_tokens_per_request",
         "usage_output_tokens_per_request", "usage_output_input_ratio"),
        lambda f: (
            f"{_n(f['usage_requests_7d'])} requests in 7 days over {_n(f['usage_active_hours_7d'])} hours, "
            f"{f['usage_output_input_ratio']:.1f} output tokens per input token"
        ),
    ),
    ReasonCode(
        "reasoning_trace_elicitation",
        ("usage_cot_elicitation_mean", "usage_cot_elicitation_share"),
        lambda f: f"{_pct(f['usage_cot_elicitation_share'])} of prompts ask for reasoning traces or reward labels",
    ),
    ReasonCode(
        "capability_mix",
        (*(f"usage_share_{c}" for c in ("coding", "agentic_tool_use", "computer_use", "data_analysis", "reasoning",
                                        "grading", "rewriting")), "usage_category_entropy"),
        _top_category,
    ),
    ReasonCode(
        "template_concentration",
        ("usage_top_template_share", "usage_templates_per_request"),
        lambda f: f"{_pct(f['usage_top_template_share'])} of prompts follow one template",
    ),
    ReasonCode(
        "shared_prompt_templates",
        ("usage_shared_template_accounts", "usage_shared_template_request_share"),
        lambda f: (
            f"prompt templates also used by {_n(f['usage_shared_template_accounts'])} other accounts "
            f"({_pct(f['usage_shared_template_request_share'])} of requests)"
        ),
    ),
    ReasonCode(
        "tool_calls",
        ("usage_tool_calls_per_request",),
        lambda f: (
            "no tool calls" if math.isnan(f["usage_tool_calls_per_request"])
            else f"{f['usage_tool_calls_per_request']:.1f} tool calls per request"
        ),
    ),
    ReasonCode(
        "shared_exits",
        ("usage_shared_exit_accounts", "usage_shared_exit_request_share"),
        lambda f: (
            f"requests through addresses also used by {_n(f['usage_shared_exit_accounts'])} other accounts "
            f"({_pct(f['usage_shared_exit_request_share'])} of requests)"
        ),
    ),
    ReasonCode(
        "usage_networks",
        ("usage_distinct_ips", "usage_distinct_prefixes", "usage_cloud_share"),
        lambda f: (
            f"requests from {_n(f['usage_distinct_ips'])} addresses in {_n(f['usage_distinct_prefixes'])} networks, "
            f"{_pct(f['usage_cloud_share'])} from cloud ranges"
        ),
    ),
    ReasonCode(
        "activity_rhythm",
        ("usage_hourly_cv", "usage_hour_of_day_entropy", "usage_longest_idle_hours"),
        lambda f: (
            "activity too recent to show a daily rhythm" if math.isnan(f["usage_longest_idle_hours"])
            else f"longest pause {int(f['usage_longest_idle_hours'])}h; active across "
            f"{_pct(f['usage_hour_of_day_entropy'])} of the day's spread"
        ),
    ),
    ReasonCode("new_model_pivot", ("usage_new_model_share", "usage_new_model_adoption_hours"), _pivot),
    ReasonCode(
        "account_age",
        ("usage_account_age_days",),
        lambda f: f"account {f['usage_account_age_days']:.1f} days old",
    ),
)  # fmt: skip


def _cluster(f: dict) -> str:
    if not f["cluster_size"]:
        return "in no cluster of linked accounts"
    return (
        f"in a cluster of {_n(f['cluster_size'])} linked accounts scored {f['cluster_score']:.2f}; "
        f"{_pct(f['cluster_abusive_share'])} of the others labelled abusive"
    )


def _linked_cluster(f: dict) -> str:
    if not f["linked_cluster_members"]:
        return "shares no card, device, network or template with a clustered account"
    return (
        f"shares identifiers with {_n(f['linked_cluster_members'])} members of a cluster scored "
        f"{f['linked_cluster_score']:.2f}; {_pct(f['linked_cluster_abusive_share'])} of its members labelled abusive"
    )


CLUSTER_REASON_CODES: tuple[ReasonCode, ...] = (
    ReasonCode(
        "cluster_membership",
        ("cluster_size", "cluster_density", "cluster_score", "cluster_synchrony", "cluster_abusive_share"),
        _cluster,
    ),
    ReasonCode(
        "linked_cluster",
        ("linked_cluster_score", "linked_cluster_members", "linked_cluster_abusive_share"),
        _linked_cluster,
    ),
)


REASON_CODES: tuple[ReasonCode, ...] = (
    ReasonCode("shared_payment_fingerprint", _windows("payment"), _shared("payment card", "payment")),
    ReasonCode("shared_device", _windows("device"), _shared("device", "device")),
    ReasonCode("shared_ip", _windows("ip"), _shared("IP address", "ip")),
    ReasonCode("shared_ip_prefix", _windows("ip_prefix"), _shared("network (/24 or /48)", "ip_prefix")),
    ReasonCode("shared_email_domain", _windows("email_domain"), _shared("email domain", "email_domain")),
    ReasonCode("shared_organization", _windows("organization"), _shared("claimed organization", "organization")),
    ReasonCode(
        "reused_email_address",
        ("same_email_accounts_7d", "email_was_rewritten"),
        lambda f: (
            f"the same mailbox (after removing dots and +tags) is on {_n(f['same_email_accounts_7d'])} other "
            "accounts in 7 days"
        ),
    ),
    ReasonCode(
        "reused_phone",
        ("same_phone_accounts_7d",),
        lambda f: f"phone number used by {_n(f['same_phone_accounts_7d'])} other accounts in 7 days",
    ),
    ReasonCode(
        "email_domain_class",
        ("email_domain_academic", "email_domain_disposable", "email_domain_free"),
        lambda f: (
            "disposable email domain"
            if f["email_domain_disposable"]
            else "academic email domain"
            if f["email_domain_academic"]
            else "free webmail domain"
            if f["email_domain_free"]
            else "company or custom email domain"
        ),
    ),
    ReasonCode(
        "academic_lookalike_domain",
        ("email_academic_lookalike",),
        _flag(
            "email domain imitates a university's", "email domain imitates no university", "email_academic_lookalike"
        ),
    ),
    ReasonCode(
        "email_local_part_shape",
        (
            "email_local_length",
            "email_local_digit_count",
            "email_local_longest_digit_run",
            "email_local_randomness",
            "email_local_has_separator",
        ),
        lambda f: (
            f"email name looks {'generated' if f['email_local_randomness'] >= 0.5 else 'like a person'}"
            f" ({int(f['email_local_length'])} characters, {int(f['email_local_digit_count'])} digits)"
        ),
    ),
    ReasonCode(
        "organization_mismatch",
        ("organization_missing", "organization_claims_academic", "organization_domain_match"),
        lambda f: (
            "no organization claimed"
            if f["organization_missing"]
            else "claimed organization matches the email domain"
            if f["organization_domain_match"] >= 0.75
            else "claimed organization does not match the email domain"
        ),
    ),
    ReasonCode(
        "pathway_email_mismatch",
        ("pathway_email_mismatch",),
        _flag(
            "education or research pathway without an academic email",
            "pathway consistent with the email domain",
            "pathway_email_mismatch",
        ),
    ),
    ReasonCode(
        "campus_network",
        ("ip_prefix_academic_share_7d",),
        lambda f: (
            "network with no recent signups"
            if math.isnan(f["ip_prefix_academic_share_7d"])
            else f"{f['ip_prefix_academic_share_7d']:.0%} of this network's recent signups used an academic email"
        ),
    ),
    ReasonCode(
        "cloud_or_hosting_ip",
        ("ip_is_cloud", "ip_is_private", "ip_is_ipv6"),
        _flag("signup from a public cloud or hosting range", "signup from a non-cloud network", "ip_is_cloud"),
    ),
    ReasonCode(
        "automation_user_agent",
        ("user_agent_missing", "user_agent_headless", "user_agent_automation"),
        lambda f: (
            "no user agent"
            if f["user_agent_missing"]
            else "headless browser"
            if f["user_agent_headless"]
            else "scripted HTTP client"
            if f["user_agent_automation"]
            else "ordinary browser"
        ),
    ),
    ReasonCode(
        "missing_device_or_payment",
        ("device_missing", "payment_missing"),
        lambda f: (
            ", ".join(
                part
                for part, missing in (
                    ("no device fingerprint", f["device_missing"]),
                    ("no payment method", f["payment_missing"]),
                )
                if missing
            )
            or "device fingerprint and payment method present"
        ),
    ),
    ReasonCode(
        "phone_risk",
        ("phone_missing", "phone_invalid", "phone_voip", "phone_region_mismatch"),
        lambda f: (
            "no phone"
            if f["phone_missing"]
            else "invalid phone number"
            if f["phone_invalid"]
            else "VoIP phone number"
            if f["phone_voip"]
            else "phone from another country than declared"
            if f["phone_region_mismatch"]
            else "ordinary phone number"
        ),
    ),
    ReasonCode("signup_pathway", ("pathway_code",), lambda f: "signup pathway"),
    ReasonCode(
        "partner_indicator",
        ("partner_indicator_matches",),
        lambda f: (
            f"{_n(f['partner_indicator_matches'])} of its identifiers match indicators shared by partner providers"
        ),
    ),
    *USAGE_REASON_CODES,
    *CLUSTER_REASON_CODES,
)

CODE_OF_FEATURE = {feature: reason.code for reason in REASON_CODES for feature in reason.features}
REASON_BY_CODE = {reason.code: reason for reason in REASON_CODES}


def explain(contributions: dict[str, float], features: dict[str, float]) -> list[Reason]:
    """The strongest reason codes by absolute weight, at most MAX_REASONS, largest weight first."""
    weights: dict[str, float] = {}
    for feature, contribution in contributions.items():
        code = CODE_OF_FEATURE.get(feature, feature)
        weights[code] = weights.get(code, 0.0) + contribution
    strongest = sorted(
        (item for item in weights.items() if abs(item[1]) >= MIN_REASON_WEIGHT), key=lambda item: -abs(item[1])
    )[:MAX_REASONS]
    reasons = [
        Reason(code=code, description=REASON_BY_CODE[code].describe(features), weight=round(weight, 4))
        for code, weight in strongest
        if code in REASON_BY_CODE
    ]
    return sorted(reasons, key=lambda reason: -reason.weight)
