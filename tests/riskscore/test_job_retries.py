"""A job whose database fails around it is retried; its own failure is recorded on the job, not retried."""

from django.db import OperationalError

from riskscore import jobs
from riskscore.models import Job
from riskscore.tasks import run_job


def test_a_job_is_retried_while_the_database_fails_then_runs(baseline, monkeypatch):
    job = Job.objects.create(kind=Job.Kind.RESCORE, params={"account_ids": []})
    attempts = []
    real = jobs.run

    def flaky(job_id, handlers):
        attempts.append(job_id)
        if len(attempts) < 3:
            raise OperationalError("connection lost")
        return real(job_id, handlers)

    monkeypatch.setattr(jobs, "run", flaky)
    run_job.apply(args=[str(job.id)])
    assert len(attempts) == 3
    assert Job.objects.get(pk=job.pk).status == "succeeded"


def test_a_job_that_fails_on_its_own_is_recorded_failed_and_not_retried(db, monkeypatch):
    job = Job.objects.create(kind=Job.Kind.TRAIN, params={})  # no labelled accounts: training fails
    attempts = []
    real = jobs.run
    monkeypatch.setattr(jobs, "run", lambda job_id, handlers: attempts.append(job_id) or real(job_id, handlers))
    run_job.apply(args=[str(job.id)])
    job.refresh_from_db()
    assert (job.status, len(attempts)) == ("failed", 1)
    assert "NotEnoughLabels" in job.error
