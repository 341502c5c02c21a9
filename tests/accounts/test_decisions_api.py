"""Analysts' decisions: labels that train the next model, actions that set status at once, all audited."""

import pytest

from accounts.models import Account, AuditEntry
from accounts.services import register_signup
from tests.builders import signup_input
from tests.conftest import client_with_scopes


@pytest.fixture
def account(baseline):
    return register_signup(signup=signup_input()).account


@pytest.fixture
def review_client(db, baseline):
    return client_with_scopes("review")


def test_label_is_stored_with_the_analyst_as_source(review_client, account):
    url = f"/api/v1/accounts/{account.account_id}/decisions"
    response = review_client.post(url, {"label": "abusive", "action": "none", "note": "card pool"}, format="json")
    assert response.status_code == 201
    account.refresh_from_db()
    assert (account.label, account.status) == ("abusive", "active")
    assert account.label_source.startswith("key:")


@pytest.mark.parametrize(
    ("action", "status"),
    [("verify", "verification_required"), ("limit", "limited"), ("suspend", "suspended"), ("ban", "banned")],
)
def test_action_sets_status_before_the_answer(review_client, account, action, status):
    body = review_client.post(
        f"/api/v1/accounts/{account.account_id}/decisions", {"action": action}, format="json"
    ).json()
    assert body["status"] == status
    assert Account.objects.get(pk=account.pk).status == status


def test_restore_makes_a_banned_account_active(review_client, account):
    url = f"/api/v1/accounts/{account.account_id}/decisions"
    review_client.post(url, {"action": "ban"}, format="json")
    review_client.post(url, {"action": "restore"}, format="json")
    assert Account.objects.get(pk=account.pk).status == "active"


def test_every_decision_is_audited_with_its_key(review_client, account):
    review_client.post(f"/api/v1/accounts/{account.account_id}/decisions", {"action": "limit"}, format="json")
    entry = AuditEntry.objects.get(object_id=account.account_id)
    assert entry.action == "decision:limit"
    assert entry.actor.startswith("key:test-review")


def test_unknown_label_is_400_and_changes_nothing(review_client, account):
    url = f"/api/v1/accounts/{account.account_id}/decisions"
    response = review_client.post(url, {"label": "maybe", "action": "ban"}, format="json")
    assert response.status_code == 400
    assert "label" in response.json()["fields"]
    assert Account.objects.get(pk=account.pk).status == "active"


def test_decision_on_unknown_account_is_404(review_client):
    assert review_client.post("/api/v1/accounts/nobody/decisions", {"action": "ban"}, format="json").status_code == 404


def test_bulk_applies_valid_items_and_rejects_the_rest_by_index(review_client, account):
    body = {
        "decisions": [
            {"account_id": account.account_id, "label": None, "action": "suspend"},
            {"account_id": "nobody", "label": "abusive", "action": "ban"},
            {"account_id": account.account_id, "action": "explode"},
        ]
    }
    response = review_client.post("/api/v1/decisions", body, format="json")
    assert response.status_code == 201
    assert response.json()["accepted"] == 1
    assert [(r["index"], r["error"]) for r in response.json()["rejected"]] == [
        (1, "unknown_account"),
        (2, "validation_error"),
    ]
    assert Account.objects.get(pk=account.pk).status == "suspended"


def test_more_than_1000_bulk_decisions_is_400(review_client):
    body = {"decisions": [{"account_id": f"a{i}", "action": "none"} for i in range(1001)]}
    assert review_client.post("/api/v1/decisions", body, format="json").status_code == 400


def test_decisions_need_the_review_scope(db, baseline, account):
    client = client_with_scopes("read")
    url = f"/api/v1/accounts/{account.account_id}/decisions"
    assert client.post(url, {"action": "ban"}, format="json").status_code == 403
