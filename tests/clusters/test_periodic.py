"""Periodic detection under celery beat: recorded as a job, skipped while another detection is pending."""

from __future__ import annotations

import pytest

from clusters.models import Cluster
from clusters.tasks import detect_clusters_periodically
from riskscore.models import Job
from tests.clusters.test_detection import card_ring

pytestmark = pytest.mark.django_db


def test_the_periodic_run_is_a_succeeded_detection_job_that_finds_clusters(baseline):
    card_ring(3)
    detect_clusters_periodically()
    job = Job.objects.get(kind=Job.Kind.DETECT_CLUSTERS)
    assert (job.status, job.params["trigger"], job.result["clusters"]) == ("succeeded", "periodic", 1)
    assert Cluster.objects.filter(dissolved_at__isnull=True).count() == 1


def test_the_periodic_run_is_skipped_while_a_detection_job_is_queued(baseline):
    card_ring(3)
    Job.objects.create(kind=Job.Kind.DETECT_CLUSTERS, params={"trigger": "api"})
    detect_clusters_periodically()
    assert Job.objects.filter(kind=Job.Kind.DETECT_CLUSTERS).count() == 1
    assert not Cluster.objects.exists()
