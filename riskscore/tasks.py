"""Celery tasks: thin wrappers that take ids and call service functions."""

from __future__ import annotations

from celery import shared_task
from django.db import InterfaceError, OperationalError

from accounts.audit import record_audit
from accounts.models import Trigger
from clusters.tasks import run_detection_job
from riskscore import jobs, rescoring, retraining, training
from riskscore.models import Job


def _train(params: dict) -> dict:
    models, skipped = training.train_models(activate=bool(params.get("activate")))
    if params.get("activate"):
        for model in models:
            record_audit(
                actor=params.get("actor", "api"), action="activate_model", object_type="model", object_id=model.version
            )
    trained = [{"version": m.version, "kind": m.kind, "status": m.status, "metrics": m.metrics} for m in models]
    return {"models": trained, "skipped": skipped}


def _rescore(params: dict) -> dict:
    return rescoring.rescore_accounts(account_ids=params.get("account_ids"), trigger=Trigger.MANUAL)


JOB_HANDLERS = {Job.Kind.TRAIN: _train, Job.Kind.RESCORE: _rescore, Job.Kind.DETECT_CLUSTERS: run_detection_job}


# A job's own failure is recorded on the job by jobs.run; these are the database failing around it (the job is
# still queued or running), retried with backoff before the job is left to an analyst's retry.
@shared_task(
    acks_late=True,
    autoretry_for=(ConnectionError, OperationalError, InterfaceError),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=True,
    max_retries=5,
)
def run_job(job_id: str) -> None:
    jobs.run(job_id, JOB_HANDLERS)


@shared_task(acks_late=True)
def retrain_if_due() -> str | None:
    """Periodic: enqueue a training job when enough accounts were labelled since the newest model."""
    job = retraining.enqueue_retrain_if_due()
    return str(job.id) if job else None
