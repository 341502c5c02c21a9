"""Building the shipped baseline model: simulate a population, train on it, write the artifact.

Signup features do not depend on the model that scores them, so the simulated
signups are registered under a placeholder model and the baseline is trained on them.
The account baseline is built the same way on simulated signups and usage, with the
held-out campaign style left unlabelled so that it can be evaluated as unseen.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lightgbm
import numpy as np
from django.utils import timezone

from riskscore import account_training, registry, training
from riskscore.features.signup import SIGNUP_FEATURES
from riskscore.models import ModelVersion
from riskscore.simulation import hold_out_unlabelled, load_simulated_signups, load_simulated_usage
from riskscore.simulator import simulate_signups
from riskscore.simulator.usage import HELD_OUT_CAMPAIGN, simulate_usage

BASELINE_START = datetime(2026, 1, 5, tzinfo=UTC)

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
    signups = simulate_signups(seed=seed, accounts=accounts, start=BASELINE_START, days=days)
    load_simulated_signups(signups)
    model = training.train_signup_model()
    return _write_baseline(model, simulator={"seed": seed, "accounts": accounts, "days": days})


def build_account_baseline(*, seed: int, accounts: int, days: int, progress=None) -> dict:
    """Simulated signups (scored by the shipped signup baseline) and their usage, then the account model."""
    registry.install_baseline(ModelVersion.Kind.SIGNUP)
    signups = simulate_signups(seed=seed, accounts=accounts, start=BASELINE_START, days=days)
    load_simulated_signups(signups, progress=progress)
    events = simulate_usage(seed=seed, signups=signups, start=BASELINE_START, days=days)
    load_simulated_usage(events, progress=progress)
    hold_out_unlabelled(HELD_OUT_CAMPAIGN)
    model = account_training.train_account_model()
    simulator = {"seed": seed, "accounts": accounts, "days": days, "usage_events": len(events)}
    return _write_baseline(model, simulator={**simulator, "held_out_campaign": HELD_OUT_CAMPAIGN})


def _write_baseline(model: ModelVersion, *, simulator: dict) -> dict:
    model_path, meta_path = registry.baseline_files(model.kind)
    model_path.parent.mkdir(parents=True, exist_ok=True)
    model_path.write_text(model.artifact)
    meta = {
        "version": model.version.replace(f"{model.kind}-", f"{model.kind}-baseline-"),
        "checksum": model.checksum,
        "feature_names": model.feature_names,
        "calibration": model.calibration,
        "metrics": model.metrics,
        "params": {**model.params, "simulator": simulator},
        "trained_at": model.trained_at.isoformat(),
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n")
    return meta
