"""The policy page's logic: the policy as a table per pathway, edits back into a document, and a preview.

The preview re-decides every account scored in the last 30 days under the edited policy,
from its current score and pathway, and counts the decisions that would change.
"""

from __future__ import annotations

import copy
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import Account, Pathway
from riskscore.policy import BANDS, VERIFICATION_STEPS, decide, resolve

PREVIEW_DAYS = 30
THRESHOLD_BANDS = BANDS[1:]  # medium, high, critical: the low band starts at 0


@dataclass(frozen=True)
class PathwayRules:
    pathway: str
    thresholds: dict[str, float]
    decisions: dict[str, str]
    verification: dict[str, list[str]]


def policy_rows(document: dict) -> list[PathwayRules]:
    rows = []
    for pathway in Pathway:
        rules = resolve(document, pathway.value)
        rows.append(
            PathwayRules(
                pathway=pathway.value,
                thresholds={band: rules["band_thresholds"][band] for band in THRESHOLD_BANDS},
                decisions=dict(rules["decisions"]),
                verification={band: list(rules["verification"][band]) for band in BANDS},
            )
        )
    return rows


def field_name(pathway: str, section: str, band: str) -> str:
    return f"{pathway}__{section}__{band}"


def edited_document(document: dict, values: dict[str, object]) -> dict:
    """A copy of `document` where each pathway carries the thresholds and steps given in `values`
    (form fields named by field_name); decisions per band and statuses are kept as they are."""
    edited = copy.deepcopy(document)
    pathways = edited.setdefault("pathways", {})
    for pathway in Pathway:
        overrides = pathways.setdefault(pathway.value, {})
        overrides["band_thresholds"] = {
            band: values[field_name(pathway.value, "threshold", band)] for band in THRESHOLD_BANDS
        }
        overrides["verification"] = {
            band: [
                step for step in values[field_name(pathway.value, "verification", band)] if step in VERIFICATION_STEPS
            ]
            for band in BANDS
        }
    return edited


@dataclass(frozen=True)
class Preview:
    accounts: int
    changed: int
    transitions: list[tuple[str, str, int]]  # (from decision, to decision, accounts), most first
    by_pathway: dict[str, int]


def preview(*, document: dict, days: int = PREVIEW_DAYS) -> Preview:
    since = timezone.now() - timedelta(days=days)
    transitions: Counter[tuple[str, str]] = Counter()
    by_pathway: Counter[str] = Counter()
    total = 0
    rows = Account.objects.filter(scored_at__gte=since).values_list("score", "pathway", "decision")
    for score, pathway, current in rows.iterator(chunk_size=5000):
        total += 1
        new = decide(probability=score, pathway=pathway, document=document).decision
        if new != current:
            transitions[(current, new)] += 1
            by_pathway[pathway] += 1
    return Preview(
        accounts=total,
        changed=sum(transitions.values()),
        transitions=[(a, b, n) for (a, b), n in transitions.most_common()],
        by_pathway=dict(by_pathway.most_common()),
    )
