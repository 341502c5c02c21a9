"""Where features meet the model: one call gives the calibrated score and its reasons.

LightGBM's TreeSHAP contributions (pred_contrib) sum to the raw margin, so one
pred_contrib call yields both the score and the per-feature attribution.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from riskscore import registry
from riskscore.reasons import Reason, explain


@dataclass(frozen=True, slots=True)
class Score:
    probability: float
    raw_margin: float
    reasons: list[Reason]
    model_version: str


def score_features(features: dict[str, float], *, kind: str) -> Score:
    """One row (the signup hook): LightGBM's single-row path, same numbers as score_many."""
    model = registry.active_model(kind)
    row = np.array([features.get(name, math.nan) for name in model.feature_names], dtype=np.float64)
    return _score(model, features, model.contributions_of_one(row))


def score_many(rows: list[dict[str, float]], *, kind: str) -> list[Score]:
    """Score many feature rows with one pred_contrib call (re-scoring in batches); same results as one by one."""
    if not rows:
        return []
    model = registry.active_model(kind)
    matrix = np.array([[row.get(name, math.nan) for name in model.feature_names] for row in rows], dtype=np.float64)
    # num_threads=1: a Booster loaded from text ignores its params, and every worker would spin on every core.
    contributions = model.booster.predict(matrix, pred_contrib=True, num_threads=1)
    return [_score(model, features, row) for features, row in zip(rows, contributions, strict=True)]


def _score(model: registry.LoadedModel, features: dict[str, float], contributions: np.ndarray) -> Score:
    """contributions: pred_contrib's row, the features' then the expected value; they sum to the raw margin."""
    raw_margin = float(contributions.sum())
    probability = float(model.calibrate(raw_margin))
    by_feature = dict(zip(model.feature_names, contributions[:-1].tolist(), strict=True))
    return Score(
        probability=round(probability, 6),
        raw_margin=raw_margin,
        reasons=explain(by_feature, features),
        model_version=model.version,
    )
