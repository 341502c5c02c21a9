"""Training the account model: signup and usage features at several moments of each labelled account's usage.

An account is scored again and again as its evidence grows, so each account contributes a snapshot an hour,
six hours, a day and three days after its first request, and one with all its evidence, each with the cluster
features known at that moment (never a cluster found, or a label given, later). Accounts (with all their
snapshots) are split by signup time — oldest 70% train, next 10% calibrate, newest 20% held out — and the
held-out metrics describe each account's latest snapshot, plus its snapshot a day after its first request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db.models import Max, Min

from accounts.models import Account, Label, UsageHour
from riskscore.evaluation import metrics_by_group, recall_at_low_friction_fpr
from riskscore.features.signup import CATEGORICAL_FEATURES
from riskscore.features.usage import ACCOUNT_FEATURES, USAGE_FEATURES, account_features_many
from riskscore.models import ModelVersion
from riskscore.training import (
    CALIBRATION_SHARE,
    MIN_LABELLED,
    TRAIN_SHARE,
    NotEnoughLabels,
    TrainingSet,
    fit_calibrated,
    register_trained,
)

SNAPSHOTS_AFTER_FIRST_USE = (timedelta(hours=1), timedelta(hours=6), timedelta(days=1), timedelta(days=3))
DAY_SNAPSHOT = 2  # index of the one-day snapshot in SNAPSHOTS_AFTER_FIRST_USE
FEATURE_BATCH = 200  # rows whose features are read together, as a re-score batch reads them


@dataclass(frozen=True)
class AccountTrainingSet(TrainingSet):
    accounts: np.ndarray  # the account's position in signup order, per row
    snapshot: np.ndarray  # index into SNAPSHOTS_AFTER_FIRST_USE, or -1 for the account's latest evidence


def usage_span() -> dict[int, tuple[datetime, datetime]]:
    """Each account with usage: the hours of its first and last requests."""
    rows = UsageHour.objects.values("account_id").annotate(first=Min("hour"), last=Max("hour"))
    return {row["account_id"]: (row["first"], row["last"]) for row in rows.iterator(chunk_size=5000)}


def labelled_snapshots() -> AccountTrainingSet:
    """Feature rows of each labelled account with usage at each snapshot moment, read in batches; clusters and
    labels as they were known at each row's moment, so nothing found later leaks into an earlier row."""
    spans = usage_span()
    labelled = Account.objects.filter(label__isnull=False).order_by("created_at", "id")
    accounts = (account for account in labelled.iterator(chunk_size=2000) if account.pk in spans)
    moments: list[tuple[int, Account, int, datetime]] = []  # (position, account, snapshot, at)
    for position, account in enumerate(accounts):
        first, last = spans[account.pk]
        latest = last + timedelta(hours=1) - timedelta(seconds=1)
        due = [(i, first + delay) for i, delay in enumerate(SNAPSHOTS_AFTER_FIRST_USE) if first + delay < latest]
        moments += [(position, account, snapshot, at) for snapshot, at in [*due, (-1, latest)]]
    features: list[list[float] | None] = [None] * len(moments)
    # An account appears once per batch: each batch holds one snapshot of consecutive accounts.
    for snapshot in (*range(len(SNAPSHOTS_AFTER_FIRST_USE)), -1):
        chosen = [index for index, moment in enumerate(moments) if moment[2] == snapshot]
        for start in range(0, len(chosen), FEATURE_BATCH):
            batch = chosen[start : start + FEATURE_BATCH]
            values = account_features_many(
                [moments[i][1] for i in batch], at={moments[i][1].pk: moments[i][3] for i in batch}, as_known_then=True
            )
            for i in batch:
                features[i] = [values[moments[i][1].pk][name] for name in ACCOUNT_FEATURES]
    return AccountTrainingSet(
        features=np.asarray(features, dtype=float).reshape(-1, len(ACCOUNT_FEATURES)),
        labels=np.asarray([account.label == Label.ABUSIVE for _, account, _, _ in moments], dtype=int),
        pathways=np.asarray([account.pathway for _, account, _, _ in moments]),
        accounts=np.asarray([position for position, _, _, _ in moments], dtype=int),
        snapshot=np.asarray([snapshot for _, _, snapshot, _ in moments], dtype=int),
    )


def fit_account_model(data: AccountTrainingSet):
    """Booster, isotonic calibration map and held-out metrics."""
    count = int(data.accounts.max()) + 1 if data.accounts.size else 0
    final = data.snapshot == -1
    if count < MIN_LABELLED or data.labels.min() == data.labels.max():
        raise NotEnoughLabels(f"need {MIN_LABELLED}+ labelled accounts with usage, of both classes; have {count}")
    train = data.accounts < int(count * TRAIN_SHARE)
    test = data.accounts >= int(count * (TRAIN_SHARE + CALIBRATION_SHARE))
    calibration = ~train & ~test
    booster, calibration_map, margins = fit_calibrated(
        data, train=train, calibration=calibration, feature_names=ACCOUNT_FEATURES, categorical=CATEGORICAL_FEATURES
    )
    probabilities = np.interp(margins, calibration_map["x"], calibration_map["y"])
    latest, day = test & final, test & (data.snapshot == DAY_SNAPSHOT)
    metrics = metrics_by_group(data.labels[latest], probabilities[latest], data.pathways[latest])
    metrics["recall_at_1pct_fpr_low_friction"] = recall_at_low_friction_fpr(
        data.labels[latest], probabilities[latest], data.pathways[latest]
    )
    metrics["one_day_after_first_use"] = {
        **metrics_by_group(data.labels[day], probabilities[day], data.pathways[day]),
        "recall_at_1pct_fpr_low_friction": recall_at_low_friction_fpr(
            data.labels[day], probabilities[day], data.pathways[day]
        ),
    }
    metrics["one_day_after_first_use"].pop("by_pathway")
    metrics["strongest_single_usage_feature_auc"] = _strongest_single_feature(data, latest)
    metrics["held_out"] = "newest 20% of labelled accounts with usage, by signup time; their latest evidence"
    metrics["train_size"], metrics["calibration_size"] = int(train.sum()), int(calibration.sum())
    return booster, calibration_map, metrics


def _strongest_single_feature(data: AccountTrainingSet, rows: np.ndarray) -> dict:
    """The usage feature that alone ranks the held-out accounts best (missing values ranked lowest)."""
    from sklearn.metrics import roc_auc_score

    labels = data.labels[rows]
    if labels.min() == labels.max():
        return {}
    best = ("", 0.5)
    for name in USAGE_FEATURES:
        column = np.nan_to_num(data.features[rows, ACCOUNT_FEATURES.index(name)], nan=-1.0)
        auc = roc_auc_score(labels, column)
        auc = max(auc, 1 - auc)
        if auc > best[1]:
            best = (name, auc)
    return {"feature": best[0], "auc": round(float(best[1]), 4)}


def train_account_model(*, activate: bool = False) -> ModelVersion:
    booster, calibration_map, metrics = fit_account_model(labelled_snapshots())
    return register_trained(
        kind=ModelVersion.Kind.ACCOUNT,
        booster=booster,
        calibration_map=calibration_map,
        metrics=metrics,
        feature_names=ACCOUNT_FEATURES,
        activate=activate,
    )
