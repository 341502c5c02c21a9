"""Models and jobs endpoints (scope admin)."""

import pytest

from tests.conftest import client_with_scopes


@pytest.fixture
def admin(db, baseline):
    return client_with_scopes("admin")


def test_models_lists_the_active_baseline_with_its_metrics(admin, baseline):
    models = admin.get("/api/v1/models").json()
    assert [(m["version"], m["kind"], m["status"]) for m in models] == [(baseline.version, "signup", "active")]
    assert models[0]["metrics"]["auc"] > 0.5


def test_models_need_the_admin_scope(db, baseline):
    assert client_with_scopes("read", "review").get("/api/v1/models").status_code == 403


def test_activating_an_unknown_model_is_404(admin):
    assert admin.post("/api/v1/models/nope/activate").status_code == 404


def test_activation_is_audited(admin, baseline):
    from accounts.models import AuditEntry

    assert admin.post(f"/api/v1/models/{baseline.version}/activate").status_code == 200
    assert AuditEntry.objects.filter(action="activate_model", object_id=baseline.version).exists()


def test_unknown_job_is_404(admin):
    assert admin.get("/api/v1/jobs/does-not-exist").status_code == 404
    assert admin.get("/api/v1/jobs/7f0c8a8e-1111-4222-8333-944455556666").status_code == 404


def test_rescore_needs_either_ids_or_all(admin):
    assert admin.post("/api/v1/rescore", {}, format="json").status_code == 400
    assert admin.post("/api/v1/rescore", {"all": True, "account_ids": ["a"]}, format="json").status_code == 400


def test_rescore_with_bad_account_id_is_400(admin):
    assert admin.post("/api/v1/rescore", {"account_ids": ["has space"]}, format="json").status_code == 400
