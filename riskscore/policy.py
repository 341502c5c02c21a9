"""The decision policy: score → band → decision, verification steps and status, per pathway.

The policy is a JSON document stored in the database (riskscore.models.Policy),
so thresholds and steps change without code: `manage.py policy --set FILE`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from accounts.models import Band, Decision, Pathway, Status
from riskscore.models import Policy

VERIFICATION_STEPS = (
    "email_confirmation",
    "institution_email",
    "phone",
    "payment_method",
    "id_document",
    "organization_proof",
)
BANDS = [band.value for band in Band]

# What a careful provider ships. Low-friction pathways (education, research,
# startup) get stricter bands than enterprise, whose contracts verify them anyway,
# and step-ups that fit the pathway: an institution email for a student, proof of
# the company for a startup.
DEFAULT_POLICY: dict = {
    "default": {
        "band_thresholds": {"medium": 0.2, "high": 0.5, "critical": 0.85},
        "decisions": {"low": "allow", "medium": "verify", "high": "review", "critical": "deny"},
        "verification": {
            "low": [],
            "medium": ["email_confirmation", "phone"],
            "high": ["phone", "payment_method"],
            "critical": ["payment_method", "id_document"],
        },
    },
    "pathways": {
        "education": {
            "verification": {
                "medium": ["institution_email"],
                "high": ["institution_email", "id_document"],
                "critical": ["institution_email", "id_document"],
            }
        },
        "research": {
            "verification": {
                "medium": ["institution_email"],
                "high": ["institution_email", "organization_proof"],
                "critical": ["organization_proof", "id_document"],
            }
        },
        "startup": {
            "verification": {
                "medium": ["payment_method"],
                "high": ["payment_method", "organization_proof"],
                "critical": ["organization_proof", "id_document"],
            }
        },
        "enterprise": {"band_thresholds": {"medium": 0.3, "high": 0.65, "critical": 0.92}},
    },
    "status_for_decision": {
        "allow": "active",
        "verify": "verification_required",
        "review": "limited",
        "deny": "suspended",
    },
}


class InvalidPolicy(ValueError):
    """A policy document that cannot be applied."""


@dataclass(frozen=True, slots=True)
class Outcome:
    band: str
    decision: str
    verification: list[str]
    status: str


def resolve(document: dict, pathway: str) -> dict:
    """The default section with the pathway's overrides applied, key by key. It shares the document's values (no
    copy for each of the batch's accounts a decision reads it for): read it, never change it."""
    merged = dict(document["default"])
    for section, values in document.get("pathways", {}).get(pathway, {}).items():
        merged[section] = {**merged.get(section, {}), **values}
    return merged


def validate(document: dict) -> None:
    if not isinstance(document, dict) or not isinstance(document.get("default"), dict):
        raise InvalidPolicy("a policy is an object with a 'default' section")
    unknown = set(document.get("pathways", {})) - {p.value for p in Pathway}
    if unknown:
        raise InvalidPolicy(f"unknown pathways: {sorted(unknown)}")
    statuses = document.get("status_for_decision", {})
    if set(statuses) != {d.value for d in Decision} or not set(statuses.values()) <= {s.value for s in Status}:
        raise InvalidPolicy("status_for_decision maps each decision to a status")
    for pathway in Pathway:
        rules = resolve(document, pathway.value)
        thresholds = rules.get("band_thresholds", {})
        cuts = [thresholds.get(band) for band in BANDS[1:]]
        if any(not isinstance(c, int | float) or not 0 <= c <= 1 for c in cuts) or cuts != sorted(cuts):
            raise InvalidPolicy(f"{pathway.value}: band_thresholds need medium <= high <= critical in [0, 1]")
        if set(rules.get("decisions", {})) != set(BANDS) or not set(rules["decisions"].values()) <= set(statuses):
            raise InvalidPolicy(f"{pathway.value}: decisions map every band to allow/verify/review/deny")
        for band in BANDS:
            steps = rules.get("verification", {}).get(band)
            if not isinstance(steps, list) or not set(steps) <= set(VERIFICATION_STEPS):
                raise InvalidPolicy(f"{pathway.value}: verification for {band} is a list of {VERIFICATION_STEPS}")


def decide(*, probability: float, pathway: str, document: dict) -> Outcome:
    rules = resolve(document, pathway)
    band = BANDS[0]
    for candidate in BANDS[1:]:
        if probability >= rules["band_thresholds"][candidate]:
            band = candidate
    decision = rules["decisions"][band]
    return Outcome(
        band=band,
        decision=decision,
        verification=[] if decision == Decision.ALLOW else list(rules["verification"][band]),
        status=document["status_for_decision"][decision],
    )


class _CurrentPolicy:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cached: tuple[int, dict] | None = None
        self._checked_at = 0.0

    def get(self) -> tuple[int, dict]:
        if self._cached and time.monotonic() - self._checked_at < settings.CACHE_TTL_SECONDS:
            return self._cached
        with self._lock:
            latest = Policy.objects.order_by("-version").first()
            self._cached = (latest.version, latest.document) if latest else (0, DEFAULT_POLICY)
            self._checked_at = time.monotonic()
            return self._cached

    def clear(self) -> None:
        self._cached = None


current_policy = _CurrentPolicy()


@transaction.atomic
def save_policy(document: dict, *, actor: str) -> Policy:
    validate(document)
    latest = Policy.objects.select_for_update().order_by("-version").first()
    policy = Policy.objects.create(version=(latest.version + 1) if latest else 1, document=document, created_by=actor)
    current_policy.clear()
    return policy
