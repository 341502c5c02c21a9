"""Building the shipped baseline model: simulate a population, train on it, write the artifact.

Signup features do not depend on the model that scores them, so the simulated
signups are registered under a placeholder model and the baseline is trained on them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lightgbm
import numpy as np
from django.utils import timezone

from riskscore import registry, training
from riskscore.features.signup import SIGNUP_FEATURES
from riskscore.simulation import load_simulated_signups
from riskscore.simulator import simulate_signups

PLACEHOLDER_VERSION = "bootstrap-placeholder"


def install_placeholder() -> None:
    """A one-tree model that scores every signup 0.5: only there so signups can be registered."""
    rng = np.random.default_rng(0)
    features = rng.normal(size=(50, len(SIGNUP_FEATURES)))
    booster = lightgbm.train(
        {"objective": "binary", "verbosity": -1, "num_leaves": 2},
        lightgbm.Dataset(features, label=rng.integers(0, 2, 50), feature_name=list(SIGNUP_FEATURES)),
        num_boost_round=1,
    )
    registry.register(
        kind="signup",
        version=PLACEHOLDER_VERSION,
        artifact=booster.model_to_string(),
        feature_names=list(SIGNUP_FEATURES),
        calibration={"x": [-1.0, 1.0], "y": [0.5, 0.5]},
        metrics={},
        params={},
        trained_at=timezone.now(),
    )
    registry.activate(PLACEHOLDER_VERSION)


def build_baseline(*, seed: int, accounts: int, days: int) -> dict:
    install_placeholder()
    signups = simulate_signups(seed=seed, accounts=accounts, start=datetime(2026, 1, 5, tzinfo=UTC), days=days)
    load_simulated_signups(signups)
    model = training.train_signup_model()
    model_path, meta_path = registry.baseline_files("signup")
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_text(model.artifact)
    meta = {
        "version": model.version.replace("signup-", "signup-baseline-"),
        "checksum": model.checksum,
        "feature_names": model.feature_names,
        "calibration": model.calibration,
        "metrics": model.metrics,
        "params": {**model.params, "simulator": {"seed": seed, "accounts": accounts, "days": days}},
        "trained_at": model.trained_at.isoformat(),
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return meta
