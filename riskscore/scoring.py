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
    return score_many([features], kind=kind)[0]


def score_many(rows: list[dict[str, float]], *, kind: str) -> list[Score]:
    """Score many feature rows with one pred_contrib call (re-scoring in batches); same results as one by one."""
    if not rows:
        return []
    model = registry.active_model(kind)
    matrix = np.array([[row.get(name, math.nan) for name in model.feature_names] for row in rows], dtype=np.float64)
    # num_threads=1: a Booster loaded from text ignores its params, and every worker would spin on every core.
    contributions = model.booster.predict(matrix, pred_contrib=True, num_threads=1)
    raw_margins = contributions.sum(axis=1)
    probabilities = np.asarray(model.calibrate(raw_margins), dtype=np.float64)
    scores = []
    for features, row_contributions, raw_margin, probability in zip(
        rows, contributions.tolist(), raw_margins.tolist(), probabilities.tolist(), strict=True
    ):
        by_feature = dict(zip(model.feature_names, row_contributions[:-1], strict=True))
        scores.append(
            Score(
                probability=round(probability, 6),
                raw_margin=raw_margin,
                reasons=explain(by_feature, features),
                model_version=model.version,
            )
        )
    return scores
