"""ROC and precision-recall points stored with a model's metrics, for the console's charts."""

import numpy as np

from riskscore.evaluation import CURVE_GRID, curves, metrics_by_group


def _separable_enough(seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, 1000)
    return labels, (labels * 0.4 + rng.random(1000) * 0.8) / 1.2


def test_roc_points_rise_from_the_lowest_to_full_recall():
    labels, scores = _separable_enough()
    roc = curves(labels, scores)["roc"]
    assert roc["fpr"] == CURVE_GRID.tolist()
    assert all(a <= b for a, b in zip(roc["tpr"], roc["tpr"][1:], strict=False))
    assert roc["tpr"][-1] == 1.0


def test_precision_at_full_recall_is_the_share_of_abusive_accounts():
    labels, scores = _separable_enough()
    pr = curves(labels, scores)["pr"]
    assert pr["precision"][-1] == round(labels.mean(), 4)


def test_a_single_class_has_no_curves():
    assert curves(np.zeros(10, dtype=int), np.linspace(0, 1, 10)) is None


def test_held_out_metrics_carry_the_overall_curves():
    labels, scores = _separable_enough()
    metrics = metrics_by_group(labels, scores, np.array(["education"] * len(labels)))
    assert metrics["curves"]["roc"]["tpr"] == curves(labels, scores)["roc"]["tpr"]
