"""Model metrics that matter to a trust-and-safety team: ranking, recall at a tolerable false-positive rate."""

from __future__ import annotations

import numpy as np
from sklearn.metrics import brier_score_loss, precision_recall_curve, roc_auc_score, roc_curve

FALSE_POSITIVE_BUDGET = 0.01
# Curves are stored at these points (denser at low false-positive rates, where a T&S team operates).
CURVE_GRID = np.unique(np.round(np.concatenate([np.linspace(0, 0.05, 26), np.linspace(0, 1, 101)]), 4))


def recall_at_fpr(labels: np.ndarray, scores: np.ndarray, fpr_budget: float = FALSE_POSITIVE_BUDGET) -> float | None:
    """Share of abusive accounts caught while flagging at most `fpr_budget` of legitimate ones."""
    if labels.min() == labels.max():
        return None
    fpr, tpr, _ = roc_curve(labels, scores)
    return float(tpr[fpr <= fpr_budget].max())


def binary_metrics(labels: np.ndarray, scores: np.ndarray) -> dict:
    labels = np.asarray(labels, dtype=int)
    scores = np.asarray(scores, dtype=float)
    both = labels.size and labels.min() != labels.max()
    return {
        "n": int(labels.size),
        "abusive": int(labels.sum()),
        "auc": round(float(roc_auc_score(labels, scores)), 4) if both else None,
        "recall_at_1pct_fpr": _round(recall_at_fpr(labels, scores)) if both else None,
        "brier": round(float(brier_score_loss(labels, scores)), 4) if labels.size else None,
    }


def curves(labels: np.ndarray, scores: np.ndarray) -> dict | None:
    """ROC (true- against false-positive rate) and precision-recall points on CURVE_GRID, for charts."""
    labels = np.asarray(labels, dtype=int)
    if not labels.size or labels.min() == labels.max():
        return None
    fpr, tpr, _ = roc_curve(labels, scores)
    precision, recall, _ = precision_recall_curve(labels, scores)
    return {
        "roc": {"fpr": CURVE_GRID.tolist(), "tpr": np.round(np.interp(CURVE_GRID, fpr, tpr), 4).tolist()},
        "pr": {
            "recall": CURVE_GRID.tolist(),
            "precision": np.round(np.interp(CURVE_GRID, recall[::-1], precision[::-1]), 4).tolist(),
        },
    }


def metrics_by_group(labels: np.ndarray, scores: np.ndarray, groups: np.ndarray) -> dict:
    overall = binary_metrics(labels, scores)
    overall["curves"] = curves(labels, scores)
    overall["by_pathway"] = {
        str(group): binary_metrics(labels[groups == group], scores[groups == group]) for group in np.unique(groups)
    }
    return overall


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


LOW_FRICTION_PATHWAYS = ("education", "research", "startup")


def threshold_at_fpr(legitimate_scores: np.ndarray, fpr_budget: float = FALSE_POSITIVE_BUDGET) -> float:
    """The lowest score that flags at most `fpr_budget` of these legitimate accounts (flagged: score > threshold)."""
    return float(np.quantile(np.asarray(legitimate_scores, dtype=float), 1 - fpr_budget, method="higher"))


def recall_at_low_friction_fpr(labels: np.ndarray, scores: np.ndarray, pathways: np.ndarray) -> float | None:
    """Share of abusive accounts caught while flagging at most 1% of legitimate education, research and startup ones:
    the customers a low-friction pathway exists for, and whose false positives cost the most."""
    labels, scores = np.asarray(labels, dtype=int), np.asarray(scores, dtype=float)
    legitimate = (labels == 0) & np.isin(pathways, LOW_FRICTION_PATHWAYS)
    if not legitimate.any() or not labels.any():
        return None
    return round(float((scores[labels == 1] > threshold_at_fpr(scores[legitimate])).mean()), 4)
