"""Jobs run by a real Celery worker process: training succeeds, and a failure is reported with its error."""

from datetime import UTC, datetime

import pytest

from riskscore.models import ModelVersion
from riskscore.simulation import load_simulated_signups
from riskscore.simulator import simulate_signups
from tests.conftest import client_with_scopes
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def job_when_finished(client, job_id):
    def finished():
        body = client.get(f"/api/v1/jobs/{job_id}").json()
        return body if body["status"] in ("succeeded", "failed") else None

    return wait_for(finished)


def test_training_job_runs_in_the_worker_and_stores_a_candidate_model(celery_worker_process, baseline):
    signups = simulate_signups(seed=3, accounts=600, start=datetime(2026, 1, 5, tzinfo=UTC), days=20)
    load_simulated_signups(signups)
    client = client_with_scopes("admin")

    response = client.post("/api/v1/models/train", {}, format="json")
    assert response.status_code == 202
    job = job_when_finished(client, response.json()["job_id"])

    assert job["status"] == "succeeded", job
    version = job["result"]["models"][0]["version"]
    trained = ModelVersion.objects.get(version=version)
    assert trained.status == "candidate"
    assert trained.metrics["auc"] is not None


def test_training_without_labels_fails_with_its_error(celery_worker_process, baseline):
    client = client_with_scopes("admin")
    job_id = client.post("/api/v1/models/train", {}, format="json").json()["job_id"]
    job = job_when_finished(client, job_id)
    assert job["status"] == "failed"
    assert "NotEnoughLabels" in job["error"]


def test_rescore_job_runs_in_the_worker(celery_worker_process, baseline):
    from accounts.services import register_signup
    from tests.builders import signup_input

    account = register_signup(signup=signup_input()).account
    client = client_with_scopes("admin")
    response = client.post("/api/v1/rescore", {"account_ids": [account.account_id]}, format="json")
    job = job_when_finished(client, response.json()["job_id"])
    assert job["status"] == "succeeded", job
    history = client.get(f"/api/v1/accounts/{account.account_id}/scores").json()
    assert [entry["trigger"] for entry in history] == ["manual", "signup"]


def test_usage_is_rescored_by_the_worker_up_to_the_newest_event(celery_worker_process, baseline):
    from accounts.services import register_signup
    from tests.builders import signup_input

    account = register_signup(signup=signup_input()).account
    client = client_with_scopes("admin")
    events = [
        {
            "event_id": f"w{i}",
            "account_id": account.account_id,
            "timestamp": f"2026-03-01T12:1{i}:00Z",
            "ip": "198.51.100.20",
            "model": "frontier",
            "input_tokens": 5,
            "output_tokens": 9,
        }
        for i in range(3)
    ]
    assert client.post("/api/v1/usage", {"events": events}, format="json").status_code == 202

    def reflected():
        body = client.get(f"/api/v1/accounts/{account.account_id}").json()
        return body["evidence_through"] == "2026-03-01T12:12:00Z"

    assert wait_for(reflected, timeout=60)
    triggers = [s["trigger"] for s in client.get(f"/api/v1/accounts/{account.account_id}/scores").json()]
    assert triggers[0] == "usage"
