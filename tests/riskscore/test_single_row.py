"""LightGBM's single-row fast path gives pred_contrib's numbers exactly, for the shipped models."""

import lightgbm
import numpy as np
import pytest

from riskscore.registry import baseline_files
from riskscore.single_row import SingleRowContributions


def shipped_booster(kind: str) -> lightgbm.Booster:
    model_file, _ = baseline_files(kind)
    return lightgbm.Booster(model_file=str(model_file))


def rows_with_gaps(booster: lightgbm.Booster, count: int) -> np.ndarray:
    """Values spread over each feature's split thresholds' range, a fifth of them missing."""
    rng = np.random.default_rng(7)
    rows = rng.exponential(scale=20.0, size=(count, booster.num_feature())) * rng.choice([0, 1], size=(count, 1))
    rows[:, ::3] = rng.integers(0, 2, size=(count, len(range(0, booster.num_feature(), 3))))
    rows[rng.random(rows.shape) < 0.2] = np.nan
    return rows


@pytest.mark.parametrize("kind", ["signup", "account"])
def test_single_rows_equal_the_batch_contributions_bit_for_bit(kind):
    booster = shipped_booster(kind)
    rows = rows_with_gaps(booster, 300)
    batch = booster.predict(rows, pred_contrib=True, num_threads=1)
    one_by_one = SingleRowContributions(booster)

    single = np.array([one_by_one(row) for row in rows])

    assert single.shape == batch.shape == (300, booster.num_feature() + 1)
    assert np.array_equal(single, batch)
    assert len({round(margin, 6) for margin in single.sum(axis=1)}) > 50  # the rows reach many different leaves


def test_a_row_of_the_wrong_width_is_refused():
    one_by_one = SingleRowContributions(shipped_booster("signup"))
    with pytest.raises(ValueError, match="features"):
        one_by_one(np.zeros(3))


def test_a_model_with_several_outputs_is_refused():
    rng = np.random.default_rng(1)
    data = lightgbm.Dataset(rng.random((60, 4)), label=rng.integers(0, 3, size=60))
    multiclass = lightgbm.train({"objective": "multiclass", "num_class": 3, "verbose": -1}, data, num_boost_round=2)
    with pytest.raises(ValueError, match="one output"):
        SingleRowContributions(multiclass)
