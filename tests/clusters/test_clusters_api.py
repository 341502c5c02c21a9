"""The cluster endpoints: list and detail (read), detection as a job (admin), acting on a cluster (review)."""

from __future__ import annotations

import pytest

from accounts.models import Account, AuditEntry
from clusters.models import Cluster
from clusters.services import detect_clusters
from riskscore.models import Job
from tests.clusters.test_detection import card_ring
from tests.conftest import client_with_scopes

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_clusters(baseline):
    small = card_ring(3, card="pmfp_small")
    large = card_ring(5, card="pmfp_large", start=20)
    detect_clusters()
    return small, large


def test_cluster_list_is_ordered_by_score_and_carries_members(two_clusters):
    body = client_with_scopes("read").get("/api/v1/clusters").json()
    scores = [c["score"] for c in body["results"]]
    assert scores == sorted(scores, reverse=True) and len(scores) == 2
    assert body["next"] is None
    assert {len(c["member_ids"]) for c in body["results"]} == {3, 5}
    first = body["results"][0]
    assert set(first) >= {"cluster_id", "size", "score", "band", "links", "first_seen", "last_seen", "member_ids"}
    assert first["first_seen"].endswith("Z")


def test_cluster_list_pages_with_a_cursor_without_repeats(two_clusters):
    client = client_with_scopes("read")
    page = client.get("/api/v1/clusters?page_size=1&ordering=size").json()
    assert page["next"] is not None
    following = client.get(page["next"]).json()
    assert [c["size"] for c in page["results"] + following["results"]] == [3, 5]
    assert following["next"] is None


def test_cluster_list_rejects_unknown_ordering_and_bad_cursor(two_clusters):
    client = client_with_scopes("read")
    assert client.get("/api/v1/clusters?ordering=member_ids").status_code == 400
    response = client.get("/api/v1/clusters?cursor=not-a-cursor")
    assert response.status_code == 400 and response.json()["error"] == "validation_error"


def test_a_cluster_is_read_by_its_id_and_its_members_carry_the_id(two_clusters):
    small, _ = two_clusters
    cluster_id = Account.objects.get(pk=small[0].pk).cluster_id
    client = client_with_scopes("read")
    body = client.get(f"/api/v1/clusters/{cluster_id}/").json()
    assert body["cluster_id"] == cluster_id and sorted(body["member_ids"]) == sorted(a.account_id for a in small)
    assert client.get(f"/api/v1/accounts/{small[0].account_id}").json()["cluster_id"] == cluster_id
    listed = client.get(f"/api/v1/accounts?cluster_id={cluster_id}").json()["results"]
    assert sorted(a["account_id"] for a in listed) == sorted(a.account_id for a in small)


def test_an_unknown_cluster_is_404(baseline):
    response = client_with_scopes("read").get("/api/v1/clusters/cl_nope")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


def test_detection_is_a_job_for_admins_only_and_the_job_reports_what_it_found(baseline):
    from riskscore import jobs
    from riskscore.tasks import JOB_HANDLERS

    assert client_with_scopes("read").post("/api/v1/clusters/detect").status_code == 403
    card_ring(3)
    admin = client_with_scopes("admin")
    response = admin.post("/api/v1/clusters/detect", {}, format="json")
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    jobs.run(job_id, JOB_HANDLERS)  # what the worker does with the queued task
    job = admin.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["kind"], job["status"]) == (Job.Kind.DETECT_CLUSTERS, "succeeded")
    assert job["result"]["clusters"] == 1 and job["result"]["changed_accounts"] == 3


def test_banning_a_cluster_bans_every_member_with_one_audit_entry_each(two_clusters):
    small, large = two_clusters
    cluster_id = Account.objects.get(pk=small[0].pk).cluster_id
    reviewer = client_with_scopes("review")
    response = reviewer.post(
        f"/api/v1/clusters/{cluster_id}/actions",
        {"action": "ban", "label": "abusive", "note": "card pool"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["accounts"] == 3
    members = Account.objects.filter(pk__in=[a.pk for a in small])
    assert {(a.status, a.label) for a in members} == {("banned", "abusive")}
    assert set(Account.objects.filter(pk__in=[a.pk for a in large]).values_list("status", flat=True)) != {"banned"}
    entries = AuditEntry.objects.filter(action="decision:ban", object_id__in=[a.account_id for a in small])
    assert entries.count() == 3
    assert all(cluster_id in entry.detail["note"] and "card pool" in entry.detail["note"] for entry in entries)


def test_a_cluster_action_other_than_suspend_or_ban_is_400_and_changes_nothing(two_clusters):
    small, _ = two_clusters
    cluster_id = Account.objects.get(pk=small[0].pk).cluster_id
    reviewer = client_with_scopes("review")
    for body in ({"action": "restore"}, {"action": "ban", "label": "maybe"}, {"note": "no action"}, ["ban"]):
        response = reviewer.post(f"/api/v1/clusters/{cluster_id}/actions", body, format="json")
        assert response.status_code == 400, body
    assert not AuditEntry.objects.filter(object_type="account").exists()


def test_acting_on_an_unknown_cluster_is_404_and_reading_keys_cannot_act(two_clusters):
    assert (
        client_with_scopes("review")
        .post("/api/v1/clusters/cl_nope/actions", {"action": "ban"}, format="json")
        .status_code
        == 404
    )
    cluster_id = Cluster.objects.first().cluster_id
    response = client_with_scopes("read").post(
        f"/api/v1/clusters/{cluster_id}/actions", {"action": "ban"}, format="json"
    )
    assert response.status_code == 403
