"""Celery tasks: thin wrappers that take ids and call service functions."""

from __future__ import annotations

from celery import shared_task

from accounts.models import Trigger
from riskscore import jobs, rescoring, training
from riskscore.models import Job


def _train(params: dict) -> dict:
    models, skipped = training.train_models(activate=bool(params.get("activate")))
    trained = [{"version": m.version, "kind": m.kind, "status": m.status, "metrics": m.metrics} for m in models]
    return {"models": trained, "skipped": skipped}


def _rescore(params: dict) -> dict:
    return rescoring.rescore_accounts(account_ids=params.get("account_ids"), trigger=Trigger.MANUAL)


JOB_HANDLERS = {Job.Kind.TRAIN: _train, Job.Kind.RESCORE: _rescore}


@shared_task(acks_late=True, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)
def run_job(job_id: str) -> None:
    jobs.run(job_id, JOB_HANDLERS)
