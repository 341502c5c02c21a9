"""Celery tasks: thin wrappers that take ids and call service functions."""

from __future__ import annotations

from celery import shared_task

from accounts.audit import record_audit
from accounts.models import Trigger
from clusters.tasks import run_detection_job
from riskscore import jobs, rescoring, training
from riskscore.models import Job


def _train(params: dict) -> dict:
    model = training.train_signup_model(activate=bool(params.get("activate")))
    if params.get("activate"):
        record_audit(
            actor=params.get("actor", "api"), action="activate_model", object_type="model", object_id=model.version
        )
    return {
        "models": [{"version": model.version, "kind": model.kind, "status": model.status, "metrics": model.metrics}]
    }


def _rescore(params: dict) -> dict:
    return rescoring.rescore_accounts(account_ids=params.get("account_ids"), trigger=Trigger.MANUAL)


JOB_HANDLERS = {Job.Kind.TRAIN: _train, Job.Kind.RESCORE: _rescore, Job.Kind.DETECT_CLUSTERS: run_detection_job}


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def run_job(job_id: str) -> None:
    jobs.run(job_id, JOB_HANDLERS)
