"""The hourly retrain check: a training job once enough accounts were labelled after the newest model."""

import pytest

from accounts.models import Account
from accounts.services import register_signup
from riskscore.models import Job
from riskscore.retraining import enqueue_retrain_if_due, new_labels
from tests.builders import signup_input


@pytest.fixture
def model_trained_on_every_label(baseline):
    """The newest model was trained on exactly the accounts labelled so far."""
    used = Account.objects.filter(label__isnull=False).count()
    baseline.metrics = {**baseline.metrics, "train_size": used, "calibration_size": 0, "n": 0}
    baseline.save(update_fields=["metrics"])
    return baseline


def label(count):
    for _ in range(count):
        account = register_signup(signup=signup_input()).account
        Account.objects.filter(pk=account.pk).update(label="legitimate")


def test_labels_since_the_newest_model_count_toward_a_retrain(model_trained_on_every_label):
    label(3)
    assert new_labels() == 3


def test_enough_new_labels_enqueue_one_training_job(model_trained_on_every_label, settings):
    settings.RETRAIN_MIN_NEW_LABELS = 2
    label(2)
    job = enqueue_retrain_if_due()
    assert job is not None and job.kind == "train" and job.params["activate"] is False
    assert enqueue_retrain_if_due() is None  # one queued already
    assert Job.objects.filter(kind="train").count() == 1


def test_too_few_new_labels_enqueue_nothing(model_trained_on_every_label, settings):
    settings.RETRAIN_MIN_NEW_LABELS = 5
    label(2)
    assert enqueue_retrain_if_due() is None


def test_retraining_on_its_own_can_be_switched_off(model_trained_on_every_label, settings):
    settings.RETRAIN_MIN_NEW_LABELS = 0
    label(2)
    assert enqueue_retrain_if_due() is None
