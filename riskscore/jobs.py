"""Background jobs: created in the database, run by a Celery worker, read through the API.

A job row is the one record of a job's state; the task only carries its id.
"""

from __future__ import annotations

import logging
import traceback
import uuid
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from accounts.errors import NotFound, ServiceUnavailable
from riskscore.models import Job

logger = logging.getLogger(__name__)


def enqueue_job(*, kind: str, params: dict) -> Job:
    from riskscore.tasks import run_job

    job = Job.objects.create(kind=kind, params=params)
    try:
        run_job.delay(str(job.id))
    except BrokerError as exc:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.FAILED, error=f"broker unavailable: {exc}", finished_at=timezone.now()
        )
        raise ServiceUnavailable("the task broker is unavailable; try again shortly") from exc
    return job


def get_job(*, job_id: str) -> Job:
    try:
        job = Job.objects.filter(pk=uuid.UUID(job_id)).first()
    except ValueError:
        job = None
    if job is None:
        raise NotFound(f"no job {job_id}")
    return job


def run(job_id: str, handlers: dict[str, Callable[[dict], dict]]) -> None:
    """Run a queued job once; a job already finished is left as it is (tasks may be delivered twice)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return
        job.status, job.started_at = Job.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    try:
        result = handlers[job.kind](job.params)
    except Exception as exc:  # noqa: BLE001 - a job's failure is reported through the job, with its error
        logger.exception("job %s (%s) failed", job_id, job.kind)
        job.status, job.error = Job.Status.FAILED, f"{type(exc).__name__}: {exc}"
        job.result = {"traceback": traceback.format_exc(limit=5)}
    else:
        job.status, job.result = Job.Status.SUCCEEDED, result
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "result", "finished_at"])
