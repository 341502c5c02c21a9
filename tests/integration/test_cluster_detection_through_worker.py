"""Cluster detection run by a real Celery worker process, asked for through the API."""

import pytest

from accounts.models import Account
from tests.clusters.test_detection import card_ring
from tests.conftest import client_with_scopes
from tests.integration.conftest import wait_for
from tests.integration.test_jobs_through_worker import job_when_finished

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_detection_job_runs_in_the_worker_and_the_cluster_is_readable(celery_worker_process, baseline):
    ring = card_ring(4, card="pmfp_worker")
    client = client_with_scopes("admin")
    response = client.post("/api/v1/clusters/detect", {}, format="json")
    assert response.status_code == 202
    job = job_when_finished(client, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["clusters"] == 1 and job["result"]["changed_accounts"] == 4

    cluster_id = client.get(f"/api/v1/accounts/{ring[0].account_id}").json()["cluster_id"]
    cluster = client.get(f"/api/v1/clusters/{cluster_id}").json()
    assert sorted(cluster["member_ids"]) == sorted(a.account_id for a in ring)

    # The detection sent the members' re-scores (their cluster features changed); the worker runs them.
    signup_scored_at = {a.pk: a.scored_at for a in ring}

    def rescored():
        members = Account.objects.filter(pk__in=signup_scored_at)
        return all(m.rescore_requested_at is None and m.scored_at > signup_scored_at[m.pk] for m in members)

    assert wait_for(rescored)
