"""Celery tasks of clusters: periodic detection (celery beat), recorded as a job like one asked for by API."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from riskscore import jobs
from riskscore.models import Job


def run_detection_job(params: dict) -> dict:
    """The detect_clusters job: one run; the changed accounts are counted here, listed in the run's summary."""
    from clusters.services import detect_clusters

    result = detect_clusters()
    return {
        "run_id": result.run_id,
        "clusters": result.clusters,
        "changed_accounts": len(result.changed_account_ids),
        **{k: v for k, v in result.summary.items() if k != "clusters"},
    }


@shared_task(acks_late=True)
def detect_clusters_periodically() -> None:
    """Skipped while another detection job is queued or running: runs would only repeat each other."""
    recent = timezone.now() - timedelta(hours=1)
    pending = Job.objects.filter(
        kind=Job.Kind.DETECT_CLUSTERS, status__in=[Job.Status.QUEUED, Job.Status.RUNNING], created_at__gte=recent
    )
    if pending.exists():
        return
    from riskscore.tasks import JOB_HANDLERS

    job = Job.objects.create(kind=Job.Kind.DETECT_CLUSTERS, params={"trigger": "periodic"})
    jobs.run(str(job.id), JOB_HANDLERS)
