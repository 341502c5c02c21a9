"""Is a retrain due? Enough accounts were labelled after the newest model was trained (RETRAIN_MIN_NEW_LABELS).

Checked hourly by celery beat; a due retrain is an ordinary training job (a candidate model an analyst
activates), never two at once.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from accounts.models import Account
from riskscore import jobs
from riskscore.models import Job, ModelVersion


def labels_used_by_newest_model() -> int:
    """Labelled accounts the newest signup model was trained on (train, calibration and held-out splits)."""
    newest = ModelVersion.objects.filter(kind=ModelVersion.Kind.SIGNUP).order_by("-trained_at").first()
    if newest is None:
        return 0
    metrics = newest.metrics
    return int(metrics.get("train_size", 0)) + int(metrics.get("calibration_size", 0)) + int(metrics.get("n", 0))


def new_labels() -> int:
    return Account.objects.filter(label__isnull=False).count() - labels_used_by_newest_model()


def enqueue_retrain_if_due() -> Job | None:
    """A training job when enough new labels have arrived and none is queued or running; else None."""
    threshold = settings.RETRAIN_MIN_NEW_LABELS
    if threshold <= 0 or new_labels() < threshold:
        return None
    # A job older than a day that never finished was lost with its worker: it no longer holds retraining back.
    recent = timezone.now() - timedelta(days=1)
    unfinished = Job.objects.filter(kind=Job.Kind.TRAIN, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    if unfinished.filter(created_at__gte=recent).exists():
        return None
    return jobs.enqueue_job(kind=Job.Kind.TRAIN, params={"activate": False, "trigger": "retrain_due"})
