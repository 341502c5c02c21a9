"""The gateway's view: GET /api/v1/enforcement/{id} and the change feed, exactly as the contract says."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.core.management import call_command

from accounts.services import DecisionInput, record_decision
from enforcement import policy
from enforcement.models import Enforcement
from riskscore.rescoring import rescore_accounts
from tests.conftest import client_with_scopes
from tests.enforcement.builders import new_account


@pytest.fixture
def gateway(baseline):
    return client_with_scopes("read")


def feed(client, since=None, page_size=None) -> dict:
    params = []
    if since is not None:
        params.append(f"since={quote(since)}")
    if page_size is not None:
        params.append(f"page_size={page_size}")
    response = client.get("/api/v1/enforcement" + ("?" + "&".join(params) if params else ""))
    assert response.status_code == 200, response.content
    return response.json()


def follow(client, since=None, page_size=1000) -> tuple[list[dict], str]:
    """Every change after `since`, page by page, as a gateway would."""
    seen, page = [], feed(client, since, page_size)
    seen += page["results"]
    while page["more"]:
        page = feed(client, page["cursor"], page_size)
        seen += page["results"]
    return seen, page["cursor"]


def test_lookup_answers_what_to_enforce_and_nothing_about_why(gateway):
    account = new_account()
    body = gateway.get(f"/api/v1/enforcement/{account.account_id}").json()
    assert set(body) == {"account_id", "tier", "limits", "reasoning", "valid_until", "policy_version"}
    assert (body["tier"], body["reasoning"], body["policy_version"]) == ("probation", "full", "enf-0")
    assert body["limits"] == {"requests_per_minute": 20, "output_tokens_per_day": 200000, "concurrent_requests": 2}
    assert body["valid_until"].endswith("Z")


def test_lookup_of_an_unknown_account_is_404(gateway):
    response = gateway.get("/api/v1/enforcement/nobody")
    assert (response.status_code, response.json()["error"]) == (404, "not_found")


def test_lookup_needs_the_read_scope(baseline):
    response = client_with_scopes("signup").get("/api/v1/enforcement/anyone")
    assert response.status_code == 403


def test_the_feed_without_since_is_a_full_snapshot_in_pages(gateway):
    accounts = [new_account() for _ in range(5)]
    first = feed(gateway, page_size=2)
    assert (len(first["results"]), first["more"]) == (2, True)
    seen, _ = follow(gateway, first["cursor"], page_size=2)
    ids = [r["account_id"] for r in first["results"] + seen]
    assert ids == [a.account_id for a in accounts]


def test_a_ban_appears_in_the_feed_once_in_its_current_state(gateway):
    account, _bystander = new_account(), new_account()
    _, cursor = follow(gateway)
    record_decision(decision=DecisionInput(account.account_id, "abusive", "ban", ""), actor="test")
    changes, cursor = follow(gateway, cursor)
    assert [(c["account_id"], c["tier"]) for c in changes] == [(account.account_id, "blocked")]
    assert "reasons" not in changes[0]
    assert follow(gateway, cursor)[0] == []


def test_an_unchanged_account_is_not_repeated_when_polling(gateway):
    account = new_account()
    _, cursor = follow(gateway)
    rescore_accounts(account_ids=[account.account_id], trigger="manual")
    gateway.get(f"/api/v1/enforcement/{account.account_id}")
    assert follow(gateway, cursor)[0] == []


def test_an_account_changed_twice_between_polls_appears_once_in_its_latest_state(gateway):
    account = new_account()
    _, cursor = follow(gateway)
    for action in ("suspend", "restore"):
        record_decision(decision=DecisionInput(account.account_id, None, action, ""), actor="test")
    changes, _ = follow(gateway, cursor)
    assert [(c["account_id"], c["tier"]) for c in changes] == [(account.account_id, "standard")]


def test_a_cursor_the_service_did_not_issue_is_400(gateway):
    response = gateway.get("/api/v1/enforcement?since=not-a-cursor")
    assert (response.status_code, response.json()["error"]) == (400, "validation_error")


def test_a_new_policy_version_moves_every_account_through_the_feed(gateway, tmp_path):
    accounts = [new_account() for _ in range(3)]
    _, cursor = follow(gateway)
    document = json.loads(json.dumps(policy.DEFAULT_ENFORCEMENT_POLICY))
    document["tiers"]["probation"]["requests_per_minute"] = 10
    path = tmp_path / "enforcement.json"
    path.write_text(json.dumps(document))
    call_command("enforcement", "--set", str(path))
    changes, _ = follow(gateway, cursor)
    assert {c["account_id"] for c in changes} == {a.account_id for a in accounts}
    assert {(c["policy_version"], c["limits"]["requests_per_minute"]) for c in changes} == {("enf-1", 10)}


def test_analysts_see_each_tier_change_with_its_cause(baseline):
    account = new_account()
    record_decision(decision=DecisionInput(account.account_id, None, "suspend", ""), actor="test")
    changes = client_with_scopes("review").get(f"/api/v1/accounts/{account.account_id}/tier-changes").json()
    assert [(c["cause"], c["from_tier"], c["to_tier"], c["rule"]) for c in changes] == [
        ("decision", "probation", "blocked", "status suspended"),
        ("signup", None, "probation", "new education account"),
    ]


def test_the_gateway_key_cannot_read_the_tier_change_log(gateway):
    account = new_account()
    assert gateway.get(f"/api/v1/accounts/{account.account_id}/tier-changes").status_code == 403


def test_an_account_from_before_enforcement_gets_its_tier_on_first_lookup(gateway):
    account = new_account()
    Enforcement.objects.filter(account=account).delete()
    assert gateway.get(f"/api/v1/enforcement/{account.account_id}").json()["tier"] == "probation"


def test_lookup_without_a_key_is_401_in_the_error_format(baseline):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/enforcement/anyone")
    assert (response.status_code, response.json()["error"]) == (401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_lookup_with_an_unknown_key_is_401(baseline):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer rsk_not_a_key")
    assert client.get("/api/v1/enforcement/anyone").status_code == 401


def test_lookup_answers_only_get(gateway):
    account = new_account()
    response = gateway.post(f"/api/v1/enforcement/{account.account_id}", {}, format="json")
    assert (response.status_code, response.json()["error"]) == (405, "method_not_allowed")


def test_the_lookup_is_in_the_openapi_schema(gateway):
    paths = {path.rstrip("/") for path in gateway.get("/api/v1/schema?format=json").json()["paths"]}
    assert {"/api/v1/enforcement/{account_id}", "/api/v1/enforcement"} <= paths
