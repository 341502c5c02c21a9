"""Admin pages: models (metrics, curves, importance, distributions, activate and roll back), policy, keys, users."""

import copy
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from accounts.auth import hash_key
from accounts.models import ApiKey, AuditEntry
from riskscore import policy, registry
from riskscore.models import ModelVersion, Policy
from tests.console.conftest import make_account


@pytest.fixture
def candidate(baseline) -> ModelVersion:
    """The baseline's artifact registered again as a newer candidate, with stored curve points."""
    metrics = {
        **baseline.metrics,
        "curves": {
            "roc": {"fpr": [0.0, 0.01, 1.0], "tpr": [0.4, 0.6, 1.0]},
            "pr": {"recall": [0.0, 0.5, 1.0], "precision": [1.0, 0.8, 0.1]},
        },
    }
    return registry.register(
        kind="signup",
        version="signup-candidate-1",
        artifact=baseline.artifact,
        feature_names=baseline.feature_names,
        calibration=baseline.calibration,
        metrics=metrics,
        params=baseline.params,
        trained_at=timezone.now(),
    )


def test_the_models_page_shows_metrics_curves_importance_and_both_distributions(admin_web, candidate):
    make_account(signup_features={})
    response = admin_web.get("/console/models/")
    page = response.content.decode()
    assert response.context["selected"] == candidate
    assert "<title>ROC curve</title>" in page and "<title>Precision-recall curve</title>" in page
    assert response.context["importance"] and response.context["importance"][0].share > 0
    assert page.count('class="line series-') >= 4  # two curves and two distributions
    assert str(candidate.metrics["auc"]) in page


def test_a_version_without_stored_curves_says_so(admin_web, baseline):
    older = registry.register(
        kind="signup",
        version="signup-before-curves",
        artifact=baseline.artifact,
        feature_names=baseline.feature_names,
        calibration=baseline.calibration,
        metrics={key: value for key, value in baseline.metrics.items() if key != "curves"},
        params=baseline.params,
        trained_at=baseline.trained_at,
    )
    page = admin_web.get(f"/console/models/?version={older.version}").content.decode()
    assert "No curve points stored with this version" in page


def test_an_admin_activates_a_candidate_and_rolls_back_with_audit_entries(admin_web, baseline, candidate):
    admin_web.post(f"/console/models/{candidate.version}/activate/")
    assert ModelVersion.objects.get(status="active").version == candidate.version
    admin_web.post("/console/models/rollback/signup/")
    assert ModelVersion.objects.get(status="active").version == baseline.version
    entries = AuditEntry.objects.filter(action="activate_model").order_by("id")
    assert [(e.object_id, e.actor) for e in entries] == [
        (candidate.version, "user:root"),
        (baseline.version, "user:root"),
    ]


def _policy_form(document: dict, **changes) -> dict:
    from console.policy_edit import field_name, policy_rows

    data = {}
    for row in policy_rows(document):
        for band, cut in row.thresholds.items():
            data[field_name(row.pathway, "threshold", band)] = str(cut)
        for band, steps in row.verification.items():
            data[field_name(row.pathway, "verification", band)] = steps
    data.update(changes)
    return data


def test_the_policy_preview_counts_decisions_that_would_change_and_saves_nothing(admin_web):
    make_account(pathway="startup", score=0.6, band="high", decision="review")
    make_account(pathway="startup", score=0.3, band="medium", decision="verify")
    make_account(pathway="education", score=0.6, band="high", decision="review")
    make_account(
        pathway="startup", score=0.6, band="high", decision="review", scored_at=timezone.now() - timedelta(days=40)
    )
    _, document = policy.current_policy.get()
    response = admin_web.post(
        "/console/policy/", _policy_form(document, startup__threshold__high="0.7", intent="preview")
    )
    preview = response.context["preview"]
    assert (preview.accounts, preview.changed) == (3, 1)
    assert preview.transitions == [("review", "verify", 1)]
    assert not Policy.objects.exists()


def test_saving_the_policy_stores_a_new_version_that_decides_and_is_audited(admin_web):
    _, document = policy.current_policy.get()
    form = _policy_form(
        document, startup__threshold__high="0.7", startup__verification__medium=["phone"], intent="save"
    )
    response = admin_web.post("/console/policy/", form)
    assert response.status_code == 302
    saved = Policy.objects.get()
    assert policy.decide(probability=0.6, pathway="startup", document=saved.document).decision == "verify"
    assert policy.decide(probability=0.3, pathway="startup", document=saved.document).verification == ["phone"]
    assert policy.decide(probability=0.6, pathway="education", document=saved.document).decision == "review"
    entry = AuditEntry.objects.get(action="set_policy")
    assert (entry.object_id, entry.actor) == (str(saved.version), "user:root")


def test_thresholds_out_of_order_are_refused_and_nothing_is_saved(admin_web):
    _, document = policy.current_policy.get()
    form = _policy_form(document, startup__threshold__high="0.95", intent="save")
    response = admin_web.post("/console/policy/", form)
    assert response.status_code == 400
    assert not Policy.objects.exists()


def test_an_admin_creates_an_api_key_shown_once_stored_as_a_hash_and_audited(admin_web):
    response = admin_web.post("/console/keys/", {"name": "gateway", "scopes": ["ingest"]})
    key, raw = response.context["created"]
    assert raw in response.content.decode()
    assert ApiKey.objects.get(name="gateway").key_hash == hash_key(raw)
    assert AuditEntry.objects.get(action="create_api_key").object_id == key.prefix
    assert raw not in admin_web.get("/console/keys/").content.decode()


def test_an_admin_revokes_a_key(admin_web):
    admin_web.post("/console/keys/", {"name": "gateway", "scopes": ["ingest"]})
    key = ApiKey.objects.get(name="gateway")
    admin_web.post(f"/console/keys/{key.pk}/revoke/")
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert AuditEntry.objects.filter(action="revoke_api_key", object_id=key.prefix).exists()


def test_an_admin_creates_an_analyst_from_the_users_page(admin_web):
    admin_web.post("/console/users/", {"username": "sam", "password": "long-enough-pw", "role": "analyst"})
    user = get_user_model().objects.get(username="sam")
    assert list(user.groups.values_list("name", flat=True)) == ["console-analyst"]
    assert not user.is_staff


def test_the_command_creates_a_console_admin_with_django_admin_access(db, monkeypatch):
    monkeypatch.setenv("NEW_CONSOLE_PASSWORD", "long-enough-pw")
    call_command("create_console_user", "lee", role="admin", password_env="NEW_CONSOLE_PASSWORD")
    user = get_user_model().objects.get(username="lee")
    assert user.check_password("long-enough-pw") and user.is_staff and user.is_superuser
    assert AuditEntry.objects.get(action="create_user").detail == {"role": "admin"}


def test_an_unknown_model_version_shows_the_default_one(admin_web, baseline):
    response = admin_web.get("/console/models/?version=nope")
    assert response.status_code == 200
    assert response.context["selected"] == baseline


def test_a_key_with_unknown_scopes_is_refused_and_none_is_created(admin_web):
    response = admin_web.post("/console/keys/", {"name": "x", "scopes": ["everything"]})
    assert response.status_code == 400
    assert not ApiKey.objects.filter(name="x").exists()


def _enforcement_form(document: dict, intent: str) -> dict:
    return {"document": json.dumps(document), "intent": intent}


def test_the_gateway_tiers_preview_counts_accounts_that_would_change_tier_and_saves_nothing(admin_web, baseline):
    from enforcement.models import EnforcementPolicy
    from enforcement.policy import current_enforcement_policy
    from tests.enforcement.builders import new_account

    for _ in range(3):
        new_account(pathway="education")  # low-friction: probation
    _, document = current_enforcement_policy.fresh()
    edited = copy.deepcopy(document)
    edited["low_friction_pathways"] = []  # they would start in standard instead
    page = admin_web.get("/console/enforcement-policy/").content.decode()
    assert "Tiers in force" in page and "probation" in page
    response = admin_web.post("/console/enforcement-policy/", _enforcement_form(edited, "preview"))
    assert response.status_code == 200
    assert "<strong>3</strong> of 3 accounts would change tier" in response.content.decode()
    assert "probation-&gt;standard" in response.content.decode()
    assert not EnforcementPolicy.objects.exists()


def test_saving_gateway_tiers_stores_a_version_is_audited_and_re_evaluates_accounts(admin_web, baseline, monkeypatch):
    from enforcement import tasks
    from enforcement.models import Enforcement
    from enforcement.policy import current_enforcement_policy
    from tests.enforcement.builders import new_account

    requested = []  # the re-evaluation of every account, as the worker would run it
    monkeypatch.setattr(tasks, "request_refresh_all", lambda: requested.append(tasks.refresh_all_enforcement()))

    account = new_account(pathway="education")
    _, document = current_enforcement_policy.fresh()
    edited = copy.deepcopy(document)
    edited["tiers"]["probation"]["requests_per_minute"] = 7
    response = admin_web.post("/console/enforcement-policy/", _enforcement_form(edited, "save"))
    assert response.status_code == 302
    assert current_enforcement_policy.fresh()[1]["tiers"]["probation"]["requests_per_minute"] == 7
    assert AuditEntry.objects.filter(action="set_enforcement_policy", actor="user:root").exists()
    assert len(requested) == 1
    assert Enforcement.objects.get(account=account).requests_per_minute == 7


@pytest.mark.parametrize("body", ["{not json", "[1, 2]", json.dumps({"tiers": {}})])
def test_a_gateway_policy_that_is_not_valid_is_refused_and_nothing_is_saved(admin_web, body):
    from enforcement.models import EnforcementPolicy

    response = admin_web.post("/console/enforcement-policy/", {"document": body, "intent": "save"})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert not EnforcementPolicy.objects.exists()


def test_an_analyst_cannot_open_the_gateway_tiers(analyst_web):
    assert analyst_web.get("/console/enforcement-policy/").status_code == 403
