"""The enforcement policy: which tier an account is in, and what each tier may do.

A JSON document stored in the database (EnforcementPolicy), so tiers, limits and
rules change without code: `manage.py enforcement_policy --set FILE` or
`PUT /api/v1/enforcement/policy`. Rules are applied in a fixed order, the first
that matches wins; `decide_tier` is a pure function of an account's facts.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings

from accounts.models import COT_THRESHOLDS, Band, Decision, Pathway, Status
from enforcement.models import EnforcementPolicy, Reasoning, Tier

LIMITS = ("requests_per_minute", "output_tokens_per_day", "concurrent_requests")
# Most to least reasoning: a rule can only lower what a tier allows.
REASONING_ORDER = [Reasoning.FULL.value, Reasoning.SUMMARY.value, Reasoning.NONE.value]

# What a careful provider ships. Low-friction pathways start in probation and earn
# standard after a few days of clean evidence (or an analyst's clearance);
# high scores, flagged clusters and review decisions are restricted; suspended and
# banned accounts are blocked. Restricted accounts and accounts whose traffic is
# dominated by chain-of-thought elicitation get reasoning summaries: still useful
# answers for a misjudged legitimate customer, but not the traces a distiller wants.
DEFAULT_ENFORCEMENT_POLICY: dict = {
    "tiers": {
        "trusted": {
            "requests_per_minute": 600,
            "output_tokens_per_day": 20_000_000,
            "concurrent_requests": 32,
            "reasoning": "full",
        },
        "standard": {
            "requests_per_minute": 120,
            "output_tokens_per_day": 2_000_000,
            "concurrent_requests": 8,
            "reasoning": "full",
        },
        "probation": {
            "requests_per_minute": 20,
            "output_tokens_per_day": 200_000,
            "concurrent_requests": 2,
            "reasoning": "full",
        },
        "restricted": {
            "requests_per_minute": 5,
            "output_tokens_per_day": 20_000,
            "concurrent_requests": 1,
            "reasoning": "summary",
        },
        "blocked": {
            "requests_per_minute": 0,
            "output_tokens_per_day": 0,
            "concurrent_requests": 0,
            "reasoning": "none",
        },
    },
    "blocked_statuses": ["suspended", "banned"],
    "restricted_statuses": ["limited"],
    "probation_statuses": ["verification_required"],
    "restricted_bands": ["high", "critical"],
    "restricted_cluster_bands": ["high", "critical"],
    "restricted_decisions": ["review", "deny"],
    # Evidence is clean when the account's band and its cluster's band are among these.
    "clean_bands": ["low"],
    "low_friction_pathways": ["education", "research", "startup"],
    "trusted_pathways": ["enterprise"],
    # Age is event time: from signup to the newest evidence of the account.
    "earn_standard_after_days": 3,
    "cot_elicitation": {"min_score": 0.6, "min_share": 0.5, "min_events": 20, "window_days": 7, "reasoning": "summary"},
    "valid_for_seconds": 300,
}


class InvalidEnforcementPolicy(ValueError):
    """A policy document that cannot be applied."""


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the tier follows from: the account's status, scores, cluster, pathway, age and history."""

    account_id: str
    status: str
    band: str
    decision: str
    pathway: str
    cluster_band: str | None
    age_days: float
    analyst_cleared: bool
    cot_events: int
    cot_elicitation_events: int


@dataclass(frozen=True, slots=True)
class TierOutcome:
    tier: str
    reasoning: str
    limits: dict[str, int]
    rule: str

    def state(self, policy_version: str) -> tuple:
        return (self.tier, self.reasoning, *(self.limits[name] for name in LIMITS), policy_version)


def _names(choices) -> set[str]:
    return {choice.value for choice in choices}


def validate(document: dict) -> None:
    if not isinstance(document, dict):
        raise InvalidEnforcementPolicy("an enforcement policy is a JSON object")
    missing = set(DEFAULT_ENFORCEMENT_POLICY) - set(document)
    if missing:
        raise InvalidEnforcementPolicy(f"missing sections: {sorted(missing)}")
    tiers = document["tiers"]
    if not isinstance(tiers, dict) or set(tiers) != _names(Tier):
        raise InvalidEnforcementPolicy(f"tiers must define exactly {sorted(_names(Tier))}")
    for name, tier in tiers.items():
        if not isinstance(tier, dict) or set(tier) != {*LIMITS, "reasoning"}:
            raise InvalidEnforcementPolicy(f"tier {name} needs {', '.join(LIMITS)} and reasoning")
        if any(
            not isinstance(tier[limit], int) or isinstance(tier[limit], bool) or tier[limit] < 0 for limit in LIMITS
        ):
            raise InvalidEnforcementPolicy(f"tier {name}: limits are non-negative integers")
        if tier["reasoning"] not in REASONING_ORDER:
            raise InvalidEnforcementPolicy(f"tier {name}: reasoning is one of {REASONING_ORDER}")
    blocked = tiers["blocked"]
    if any(blocked[limit] != 0 for limit in LIMITS) or blocked["reasoning"] != "none":
        raise InvalidEnforcementPolicy("the blocked tier allows nothing: every limit 0 and reasoning none")
    allowed = {
        "blocked_statuses": _names(Status),
        "restricted_statuses": _names(Status),
        "probation_statuses": _names(Status),
        "restricted_bands": _names(Band),
        "restricted_cluster_bands": _names(Band),
        "restricted_decisions": _names(Decision),
        "clean_bands": _names(Band),
        "low_friction_pathways": _names(Pathway),
        "trusted_pathways": _names(Pathway),
    }
    for section, values in allowed.items():
        given = document[section]
        if not isinstance(given, list) or not set(given) <= values:
            raise InvalidEnforcementPolicy(f"{section} is a list of {sorted(values)}")
    if not {"suspended", "banned"} <= set(document["blocked_statuses"]):
        raise InvalidEnforcementPolicy("suspended and banned accounts are always blocked")
    numbers = {"earn_standard_after_days": document["earn_standard_after_days"]}
    numbers["valid_for_seconds"] = document["valid_for_seconds"]
    cot = document["cot_elicitation"]
    if not isinstance(cot, dict) or set(cot) != set(DEFAULT_ENFORCEMENT_POLICY["cot_elicitation"]):
        raise InvalidEnforcementPolicy("cot_elicitation needs min_score, min_share, min_events, window_days, reasoning")
    numbers.update({f"cot_elicitation.{k}": v for k, v in cot.items() if k != "reasoning"})
    for name, value in numbers.items():
        if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
            raise InvalidEnforcementPolicy(f"{name} is a non-negative number")
    if cot["min_score"] not in COT_THRESHOLDS:
        raise InvalidEnforcementPolicy(
            f"cot_elicitation.min_score is one of {list(COT_THRESHOLDS)}: the thresholds usage is counted at"
        )
    if document["valid_for_seconds"] < 1:
        raise InvalidEnforcementPolicy("valid_for_seconds is at least 1")
    if cot["reasoning"] not in REASONING_ORDER:
        raise InvalidEnforcementPolicy(f"cot_elicitation.reasoning is one of {REASONING_ORDER}")


def decide_tier(facts: AccountFacts, document: dict) -> TierOutcome:
    tier, rule = _tier(facts, document)
    settings_of_tier = document["tiers"][tier]
    reasoning = settings_of_tier["reasoning"]
    cot = document["cot_elicitation"]
    if (
        facts.cot_events >= max(1, cot["min_events"])
        and facts.cot_elicitation_events / facts.cot_events >= cot["min_share"]
        and REASONING_ORDER.index(cot["reasoning"]) > REASONING_ORDER.index(reasoning)
    ):
        reasoning, rule = cot["reasoning"], f"{rule}; traffic dominated by chain-of-thought elicitation"
    return TierOutcome(
        tier=tier, reasoning=reasoning, limits={name: int(settings_of_tier[name]) for name in LIMITS}, rule=rule
    )


def _tier(facts: AccountFacts, document: dict) -> tuple[str, str]:
    if facts.status in document["blocked_statuses"]:
        return Tier.BLOCKED, f"status {facts.status}"
    if facts.status in document["restricted_statuses"]:
        return Tier.RESTRICTED, f"status {facts.status}"
    # An analyst's restore or legitimate label outranks the score and the cluster it was judged against.
    if not facts.analyst_cleared:
        if facts.cluster_band in document["restricted_cluster_bands"]:
            return Tier.RESTRICTED, f"member of a {facts.cluster_band}-band cluster"
        if facts.band in document["restricted_bands"]:
            return Tier.RESTRICTED, f"{facts.band} score band"
        if facts.decision in document["restricted_decisions"]:
            return Tier.RESTRICTED, f"decision {facts.decision}"
    if facts.status in document["probation_statuses"]:
        return Tier.PROBATION, f"status {facts.status}"
    clean = facts.analyst_cleared or (
        facts.band in document["clean_bands"]
        and (facts.cluster_band is None or facts.cluster_band in document["clean_bands"])
    )
    if not clean:
        return Tier.PROBATION, "evidence not clean"
    if facts.pathway in document["trusted_pathways"]:
        return Tier.TRUSTED, f"clean {facts.pathway} account"
    if facts.pathway in document["low_friction_pathways"]:
        if facts.analyst_cleared:
            return Tier.STANDARD, "cleared by an analyst"
        if facts.age_days >= document["earn_standard_after_days"]:
            return Tier.STANDARD, f"clean for {document['earn_standard_after_days']}+ days"
        return Tier.PROBATION, f"new {facts.pathway} account"
    return Tier.STANDARD, "clean evidence"


VERSION_PREFIX = "enf-"


def version_name(version: int) -> str:
    return f"{VERSION_PREFIX}{version}"


def version_number(name: str) -> int:
    return int(name.removeprefix(VERSION_PREFIX))


class _CurrentEnforcementPolicy:
    """The policy in force, looked up again at most every CACHE_TTL_SECONDS per process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[str, dict] | None = None
        self._checked_at = 0.0

    def get(self) -> tuple[str, dict]:
        if self._cached and time.monotonic() - self._checked_at < settings.CACHE_TTL_SECONDS:
            return self._cached
        with self._lock:
            latest = EnforcementPolicy.objects.order_by("-version").first()
            self._cached = (
                (version_name(latest.version), latest.document)
                if latest
                else (version_name(0), DEFAULT_ENFORCEMENT_POLICY)
            )
            self._checked_at = time.monotonic()
            return self._cached

    def fresh(self) -> tuple[str, dict]:
        self.clear()
        return self.get()

    def clear(self) -> None:
        self._cached = None


current_enforcement_policy = _CurrentEnforcementPolicy()
