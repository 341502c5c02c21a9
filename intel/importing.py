"""Indicator import: a partner's STIX 2.1 bundle, validated object by object, stored all at once.

Each object is checked alone (stix2's parser and its pattern validator, then the
contract's exact pattern form); the valid indicators are stored in one transaction
with their source, validity and TLP, keyed by (source, STIX id), so importing the
same bundle again changes nothing and a newer version of an indicator replaces
the older. Existing accounts that now match are re-scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import stix2
from django.db import transaction
from stix2.exceptions import STIXError
from stix2patterns.validator import run_validator

from accounts.errors import Rejection
from intel.export import TLP_MARKINGS
from intel.identifiers import SharedIdentifier, parse_pattern
from intel.matching import kinds_present
from intel.models import ImportedIndicator

TLP_BY_MARKING_ID = {marking.id: name for name, marking in TLP_MARKINGS.items()}
STORED_FIELDS = ("kind", "hmac_sha256", "name", "valid_from", "valid_until", "revoked", "tlp", "campaign_ref")


class NotABundle(ValueError):
    """The body is not a STIX bundle at all: nothing is imported."""


@dataclass(slots=True)
class ImportResult:
    indicators: int = 0
    new: int = 0
    updated: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    identifiers: set[SharedIdentifier] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Valid:
    stix_id: str
    modified: datetime
    identifier: SharedIdentifier
    values: dict


def import_bundle(*, bundle: object, source: str) -> ImportResult:
    objects = _objects_of(bundle)
    result = ImportResult()
    marking_tlp = dict(TLP_BY_MARKING_ID)
    for obj in objects:
        if isinstance(obj, dict) and obj.get("type") == "marking-definition":
            tlp = (obj.get("definition") or {}).get("tlp") if isinstance(obj.get("definition"), dict) else None
            if tlp in TLP_MARKINGS and isinstance(obj.get("id"), str):
                marking_tlp.setdefault(obj["id"], tlp)
    campaign_of = {
        o.get("source_ref"): o.get("target_ref")
        for o in objects
        if isinstance(o, dict) and o.get("type") == "relationship" and o.get("relationship_type") == "indicates"
    }
    valid: dict[str, _Valid] = {}
    for index, obj in enumerate(objects):
        checked = _check(obj, marking_tlp=marking_tlp, campaign_of=campaign_of)
        if isinstance(checked, Rejection):
            result.rejected.append(Rejection(index, checked.error, checked.detail))
        elif checked is not None:
            result.indicators += 1
            result.identifiers.add(checked.identifier)
            current = valid.get(checked.stix_id)
            if current is None or checked.modified >= current.modified:
                valid[checked.stix_id] = checked
    _store(list(valid.values()), source=source, result=result)
    return result


def _objects_of(bundle: object) -> list:
    if not isinstance(bundle, dict) or bundle.get("type") != "bundle":
        raise NotABundle('a STIX bundle is an object with "type": "bundle"')
    if not isinstance(bundle.get("id"), str) or not bundle["id"].startswith("bundle--"):
        raise NotABundle('a STIX bundle has an "id" of the form bundle--UUID')
    if not isinstance(bundle.get("objects"), list):
        raise NotABundle('a STIX bundle has a list of "objects"')
    return bundle["objects"]


def _check(obj: object, *, marking_tlp: dict, campaign_of: dict) -> _Valid | Rejection | None:
    """A valid indicator, a Rejection, or None for a valid object of another type (accepted, not counted)."""
    if not isinstance(obj, dict) or not isinstance(obj.get("type"), str):
        return Rejection(-1, "invalid_object", 'every object is a JSON object with a "type"')
    if obj.get("spec_version") != "2.1" and obj["type"] != "marking-definition":
        return Rejection(-1, "invalid_object", 'objects carry "spec_version": "2.1"')
    if obj["type"] == "indicator" and "pattern" in obj:
        pattern = obj["pattern"]
        if not isinstance(pattern, str):
            return Rejection(-1, "bad_pattern", "an indicator needs a pattern (a string)")
        if obj.get("pattern_type") != "stix":
            return Rejection(-1, "bad_pattern", 'only "pattern_type": "stix" is understood')
        errors = run_validator(pattern, stix_version="2.1")
        if errors:
            return Rejection(-1, "bad_pattern", "; ".join(str(e) for e in errors)[:500])
    try:
        parsed = stix2.parse(obj, allow_custom=True, version="2.1")
    except (STIXError, ValueError, TypeError, KeyError, AttributeError) as exc:
        return Rejection(-1, "invalid_object", str(exc)[:500])
    except Exception as exc:  # noqa: BLE001 - a partner's odd object is that object's rejection, never a 500
        return Rejection(-1, "invalid_object", f"{type(exc).__name__}: {exc}"[:500])
    if obj["type"] != "indicator":
        return None
    identifier = parse_pattern(parsed.pattern)
    if identifier is None:
        return Rejection(
            -1,
            "unknown_kind",
            "only [x-riskscore-identifier:kind = 'KIND' AND x-riskscore-identifier:hmac_sha256 = 'HEX'] with a known "
            "KIND is understood",
        )
    tlps = [marking_tlp[ref] for ref in parsed.get("object_marking_refs", []) if ref in marking_tlp]
    return _Valid(
        stix_id=parsed.id,
        modified=_utc(parsed.modified),
        identifier=identifier,
        values={
            "kind": identifier.kind,
            "hmac_sha256": identifier.hmac_sha256,
            "name": str(parsed.get("name", ""))[:300],
            "valid_from": _utc(parsed.valid_from),
            "valid_until": _utc(parsed.valid_until) if parsed.get("valid_until") else None,
            "revoked": bool(parsed.get("revoked", False)),
            "tlp": max(tlps, key=list(TLP_MARKINGS).index) if tlps else "",
            "campaign_ref": str(campaign_of.get(parsed.id, ""))[:100],
            "created_by_ref": str(parsed.get("created_by_ref", ""))[:100],
            "modified": _utc(parsed.modified),
        },
    )


def _utc(value) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00")).astimezone(UTC)


@transaction.atomic
def _store(valid: list[_Valid], *, source: str, result: ImportResult) -> None:
    existing = {
        row.stix_id: row
        for row in ImportedIndicator.objects.select_for_update().filter(
            source=source, stix_id__in=[v.stix_id for v in valid]
        )
    }
    created, changed = [], []
    for item in valid:
        row = existing.get(item.stix_id)
        if row is None:
            created.append(ImportedIndicator(source=source, stix_id=item.stix_id, **item.values))
        elif item.modified > row.modified:
            for name, value in item.values.items():
                setattr(row, name, value)
            changed.append(row)
    # A concurrent import of the same indicators may insert them first: theirs stand, nothing fails.
    ImportedIndicator.objects.bulk_create(created, ignore_conflicts=True)
    if changed:
        ImportedIndicator.objects.bulk_update(changed, [*STORED_FIELDS, "created_by_ref", "modified"])
    result.new, result.updated = len(created), len(changed)
    transaction.on_commit(kinds_present.clear)
