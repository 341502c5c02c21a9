"""Recall at 1% false-positive rate on legitimate low-friction accounts: the threshold comes from those accounts."""

import numpy as np

from riskscore.evaluation import recall_at_low_friction_fpr


def test_the_threshold_ignores_legitimate_accounts_outside_low_friction_pathways():
    legit_scores = np.linspace(0, 0.5, 200)
    labels = np.array([0] * 200 + [0] + [1, 1])
    scores = np.concatenate([legit_scores, [0.99], [0.9, 0.4]])
    pathways = np.array(["education"] * 200 + ["enterprise"] + ["startup", "startup"])
    assert recall_at_low_friction_fpr(labels, scores, pathways) == 0.5


def test_without_legitimate_low_friction_accounts_there_is_no_figure():
    labels = np.array([0, 1])
    assert recall_at_low_friction_fpr(labels, np.array([0.1, 0.9]), np.array(["enterprise", "standard"])) is None
