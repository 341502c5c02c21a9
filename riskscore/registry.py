"""The model registry: store, verify, load, activate and roll back trained models.

Artifacts are LightGBM text with a SHA-256 checksum checked on every load. Each
process keeps the active model of each kind in memory and looks for a newly
activated one at most every CACHE_TTL_SECONDS.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import lightgbm
import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from riskscore.models import ModelVersion
from riskscore.single_row import SingleRowContributions

BASELINE_DIR = Path(__file__).resolve().parent / "data" / "baseline"


class NoActiveModel(Exception):
    """No model of this kind is active: the service cannot score."""


class CorruptModel(Exception):
    """A stored artifact does not match its checksum."""


@dataclass(frozen=True)
class LoadedModel:
    version: str
    kind: str
    booster: lightgbm.Booster
    feature_names: tuple[str, ...]
    calibration_x: np.ndarray
    calibration_y: np.ndarray
    contributions_of_one: SingleRowContributions

    def calibrate(self, raw_margin: np.ndarray | float) -> np.ndarray | float:
        return np.interp(raw_margin, self.calibration_x, self.calibration_y)


def checksum(artifact: str) -> str:
    return hashlib.sha256(artifact.encode()).hexdigest()


def load(model: ModelVersion) -> LoadedModel:
    if checksum(model.artifact) != model.checksum:
        raise CorruptModel(f"model {model.version}: artifact checksum does not match")
    booster = lightgbm.Booster(model_str=model.artifact)
    return LoadedModel(
        version=model.version,
        kind=model.kind,
        booster=booster,
        feature_names=tuple(model.feature_names),
        calibration_x=np.asarray(model.calibration["x"], dtype=float),
        calibration_y=np.asarray(model.calibration["y"], dtype=float),
        contributions_of_one=SingleRowContributions(booster),
    )


class _ActiveModels:
    """Per-process cache of the active model of each kind."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._models: dict[str, LoadedModel] = {}
        self._checked_at: dict[str, float] = {}

    def get(self, kind: str) -> LoadedModel:
        now = time.monotonic()
        cached = self._models.get(kind)
        if cached and now - self._checked_at.get(kind, 0) < settings.CACHE_TTL_SECONDS:
            return cached
        with self._lock:
            active = ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.ACTIVE).only("version").first()
            if active is None:
                raise NoActiveModel(f"no active {kind} model")
            if not cached or cached.version != active.version:
                cached = load(ModelVersion.objects.get(pk=active.pk))
                self._models[kind] = cached
            self._checked_at[kind] = now
            return cached

    def clear(self) -> None:
        with self._lock:
            self._models.clear()
            self._checked_at.clear()


active_models = _ActiveModels()


def active_model(kind: str) -> LoadedModel:
    return active_models.get(kind)


def register(
    *,
    kind: str,
    version: str,
    artifact: str,
    feature_names: list[str],
    calibration: dict,
    metrics: dict,
    params: dict,
    trained_at: datetime,
) -> ModelVersion:
    return ModelVersion.objects.create(
        version=version,
        kind=kind,
        status=ModelVersion.Status.CANDIDATE,
        artifact=artifact,
        checksum=checksum(artifact),
        feature_names=feature_names,
        calibration=calibration,
        metrics=metrics,
        params=params,
        trained_at=trained_at,
    )


@transaction.atomic
def activate(version: str) -> ModelVersion:
    """Make `version` the active model of its kind; the previous one is retired (roll back by activating it)."""
    model = ModelVersion.objects.select_for_update().get(version=version)
    load(model)  # refuse to activate an artifact that does not verify or parse
    ModelVersion.objects.filter(kind=model.kind, status=ModelVersion.Status.ACTIVE).exclude(pk=model.pk).update(
        status=ModelVersion.Status.RETIRED
    )
    model.status = ModelVersion.Status.ACTIVE
    model.activated_at = timezone.now()
    model.save(update_fields=["status", "activated_at"])
    return model


def previous_version(kind: str) -> ModelVersion | None:
    """The most recently active model before the current one: what a roll-back activates."""
    return (
        ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.RETIRED, activated_at__isnull=False)
        .order_by("-activated_at")
        .first()
    )


def baseline_files(kind: str) -> tuple[Path, Path]:
    return BASELINE_DIR / f"{kind}.model.txt", BASELINE_DIR / f"{kind}.meta.json"


def install_baseline(kind: str, *, force: bool = False) -> ModelVersion | None:
    """Register and activate the shipped baseline model when no model of this kind is active (or always, forced)."""
    if not force and ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.ACTIVE).exists():
        return None
    model_path, meta_path = baseline_files(kind)
    meta = json.loads(meta_path.read_text())
    artifact = model_path.read_text()
    if checksum(artifact) != meta["checksum"]:
        raise CorruptModel(f"shipped baseline {model_path.name} does not match its checksum")
    existing = ModelVersion.objects.filter(version=meta["version"]).first()
    if existing is None:
        register(
            kind=kind,
            version=meta["version"],
            artifact=artifact,
            feature_names=meta["feature_names"],
            calibration=meta["calibration"],
            metrics=meta["metrics"],
            params=meta["params"],
            trained_at=datetime.fromisoformat(meta["trained_at"]),
        )
    return activate(meta["version"])
