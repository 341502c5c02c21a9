"""The model registry: checksums verified on load, one active model per kind, roll back by re-activating."""

import lightgbm
import numpy as np
import pytest
from django.utils import timezone

from riskscore import registry
from riskscore.models import ModelVersion


def tiny_artifact(seed: int) -> str:
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(200, 3))
    labels = (features[:, 0] + rng.normal(scale=0.5, size=200) > 0).astype(int)
    params = {"objective": "binary", "num_leaves": 4, "verbosity": -1, "seed": seed}
    return lightgbm.train(params, lightgbm.Dataset(features, label=labels), num_boost_round=5).model_to_string()


def register_tiny(version: str, seed: int = 1) -> ModelVersion:
    return registry.register(
        kind="signup",
        version=version,
        artifact=tiny_artifact(seed),
        feature_names=["a", "b", "c"],
        calibration={"x": [-5.0, 5.0], "y": [0.0, 1.0]},
        metrics={},
        params={},
        trained_at=timezone.now(),
    )


def test_new_model_is_a_candidate_until_activated(db):
    assert register_tiny("m1").status == "candidate"


def test_activating_retires_the_previous_active_model(db):
    register_tiny("m1")
    register_tiny("m2", seed=2)
    registry.activate("m1")
    registry.activate("m2")
    statuses = dict(ModelVersion.objects.values_list("version", "status"))
    assert statuses == {"m1": "retired", "m2": "active"}
    assert registry.active_model("signup").version == "m2"


def test_roll_back_activates_the_previously_active_model(db):
    register_tiny("m1")
    register_tiny("m2", seed=2)
    registry.activate("m1")
    registry.activate("m2")
    registry.activate(registry.previous_version("signup").version)
    registry.active_models.clear()
    assert registry.active_model("signup").version == "m1"


def test_tampered_artifact_is_refused_on_load(db):
    model = register_tiny("m1")
    ModelVersion.objects.filter(pk=model.pk).update(artifact=model.artifact.replace("leaf_value=", "leaf_value=9", 1))
    with pytest.raises(registry.CorruptModel):
        registry.activate("m1")


def test_no_active_model_is_reported(db):
    with pytest.raises(registry.NoActiveModel):
        registry.active_model("signup")


def test_shipped_baseline_installs_once_and_matches_the_feature_list(db):
    from riskscore.features.signup import SIGNUP_FEATURES

    installed = registry.install_baseline("signup")
    assert installed.status == "active"
    assert tuple(installed.feature_names) == SIGNUP_FEATURES
    assert registry.install_baseline("signup") is None


def test_calibration_maps_raw_margin_into_probability(db):
    register_tiny("m1")
    registry.activate("m1")
    model = registry.active_model("signup")
    assert model.calibrate(-10.0) == 0.0
    assert model.calibrate(0.0) == pytest.approx(0.5)
    assert model.calibrate(10.0) == 1.0


def test_forced_baseline_install_replaces_the_active_model(db):
    register_tiny("m1")
    registry.activate("m1")
    assert registry.install_baseline("signup") is None
    installed = registry.install_baseline("signup", force=True)
    assert installed.status == "active"
    assert registry.active_model("signup").version == installed.version
