"""Reads behind the models page: versions and metrics, stored curves, feature importance, score distributions.

Distributions score a sample of recent accounts' stored signup features with both models,
the way the hook would: raw margin, then the model's own isotonic calibration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from accounts.models import Account
from riskscore import registry
from riskscore.models import ModelVersion

DISTRIBUTION_SAMPLE = 2000
DISTRIBUTION_BINS = 20
TOP_FEATURES = 15


def model_versions() -> list[ModelVersion]:
    return list(ModelVersion.objects.defer("artifact", "calibration").order_by("kind", "-trained_at", "-id"))


def get_version(version: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(version=version).first()


def default_version() -> ModelVersion | None:
    """The newest candidate if there is one (what an admin is deciding on), else the active signup model."""
    return (
        ModelVersion.objects.filter(status=ModelVersion.Status.CANDIDATE).order_by("-trained_at").first()
        or ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).order_by("kind").first()
    )


def active_of_kind(kind: str) -> ModelVersion | None:
    return ModelVersion.objects.filter(kind=kind, status=ModelVersion.Status.ACTIVE).first()


@lru_cache(maxsize=4)
def _loaded(version: str, checksum: str) -> registry.LoadedModel:
    """A parsed model, kept per process: a version's artifact never changes (its checksum is part of the key)."""
    return registry.load(ModelVersion.objects.get(version=version, checksum=checksum))


def loaded(model: ModelVersion) -> registry.LoadedModel:
    return _loaded(model.version, model.checksum)


@dataclass(frozen=True)
class FeatureWeight:
    name: str
    share: float  # of the model's total split gain


def feature_importance(model: ModelVersion) -> list[FeatureWeight]:
    booster = loaded(model).booster
    gains = booster.feature_importance(importance_type="gain")
    total = float(gains.sum()) or 1.0
    weights = sorted(zip(booster.feature_name(), gains, strict=True), key=lambda item: -item[1])[:TOP_FEATURES]
    return [FeatureWeight(name=name, share=float(gain) / total) for name, gain in weights if gain > 0]


def recent_signup_features() -> list[dict]:
    """The stored signup features of the latest DISTRIBUTION_SAMPLE accounts: read once, scored by each model."""
    return list(
        Account.objects.order_by("-created_at", "-id").values_list("signup_features", flat=True)[:DISTRIBUTION_SAMPLE]
    )


def _matrix(stored: list[dict], feature_names: tuple[str, ...]) -> np.ndarray:
    rows = [
        [math.nan if features.get(name) is None else float(features[name]) for name in feature_names]
        for features in stored
    ]
    return np.asarray(rows, dtype=float).reshape(len(rows), len(feature_names))


def score_distribution(model: ModelVersion, sample: list[dict]) -> list[tuple[float, float]] | None:
    """Share of recent accounts per score bin under `model` ((bin start, share) pairs); None without accounts.
    Only signup models score stored signup features."""
    if model.kind != ModelVersion.Kind.SIGNUP:
        return None
    scorer = loaded(model)
    features = _matrix(sample, scorer.feature_names)
    if not len(features):
        return None
    scores = scorer.calibrate(scorer.booster.predict(features, raw_score=True, num_threads=1))
    counts, edges = np.histogram(scores, bins=DISTRIBUTION_BINS, range=(0.0, 1.0))
    return [(float(start), float(count) / len(scores)) for start, count in zip(edges[:-1], counts, strict=True)]


def stored_curves(model: ModelVersion) -> dict | None:
    """ROC and precision-recall points stored with the model's held-out metrics at training, if it has them."""
    curves = model.metrics.get("curves")
    return curves if isinstance(curves, dict) and "roc" in curves and "pr" in curves else None
