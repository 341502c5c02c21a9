"""Fit the structural cluster-score model on simulated ground truth and print its coefficients for clusters/scoring.py.

Run on a database filled by `manage.py simulate --no-labels` with a seed the evaluation does not use.
"""

from __future__ import annotations

import numpy as np
from django.core.management.base import BaseCommand, CommandError
from sklearn.linear_model import LogisticRegression

from clusters.graph.detector import InProcessDetector
from clusters.loading import load_graph
from clusters.scoring import SCORE_INPUTS, model_inputs
from riskscore.models import SimulatedAccount


class Command(BaseCommand):
    help = "Fit the cluster score's logistic model on simulated clusters and print the coefficients."

    def handle(self, *args, **options):
        truth = dict(SimulatedAccount.objects.values_list("account_id", "is_abusive"))
        if not truth:
            raise CommandError("no simulated accounts: run `manage.py simulate --no-labels` first")
        graph = load_graph()
        groups = InProcessDetector().detect(graph)
        inputs, targets, weights = [], [], []
        for group in groups:
            abusive = np.mean([truth.get(int(pk), False) for pk in graph.account_keys[group.members]])
            inputs.append(model_inputs(group.features))
            targets.append(abusive >= 0.5)
            weights.append(np.sqrt(len(group.members)))  # a big cluster matters more, without drowning the rest
        model = LogisticRegression(C=1.0, max_iter=2000).fit(np.array(inputs), np.array(targets), sample_weight=weights)
        self.stdout.write(f"# fitted on {len(groups)} clusters, {int(np.sum(targets))} campaigns")
        self.stdout.write(f"INTERCEPT = {model.intercept_[0]:.3f}")
        self.stdout.write("COEFFICIENTS: dict[str, float] = {")
        for name, value in zip(SCORE_INPUTS, model.coef_[0], strict=True):
            self.stdout.write(f'    "{name}": {value:.3f},')
        self.stdout.write("}")
