"""The signup hook, POST /api/v1/signups, through HTTP as the signup flow calls it."""

import pytest

from accounts.models import Account, IdentifierSighting, ScoreRecord
from tests.builders import signup_payload
from tests.conftest import client_with_scopes

CONTRACT_FIELDS = {"account_id", "score", "band", "decision", "verification", "reasons", "cluster_id", "model_version"}
STEPS = {"email_confirmation", "institution_email", "phone", "payment_method", "id_document", "organization_proof"}


def post_signup(client, payload, **extra):
    return client.post("/api/v1/signups", payload, format="json", **extra)


def test_new_signup_is_created_with_every_contract_field(signup_client):
    response = post_signup(signup_client, signup_payload(account_id="acct_new"))
    assert response.status_code == 201
    body = response.json()
    assert set(body) == CONTRACT_FIELDS
    assert body["account_id"] == "acct_new"
    assert 0 <= body["score"] <= 1
    assert body["band"] in {"low", "medium", "high", "critical"}
    assert body["decision"] in {"allow", "verify", "review", "deny"}
    assert set(body["verification"]) <= STEPS


def test_reasons_are_at_most_five_with_code_description_and_weight_largest_first(signup_client):
    body = post_signup(signup_client, signup_payload()).json()
    reasons = body["reasons"]
    assert 0 < len(reasons) <= 5
    assert all(set(r) == {"code", "description", "weight"} and r["description"] for r in reasons)
    weights = [r["weight"] for r in reasons]
    assert weights == sorted(weights, reverse=True)


def test_plain_allow_asks_for_no_verification(signup_client):
    body = post_signup(signup_client, signup_payload()).json()
    if body["decision"] == "allow":
        assert body["verification"] == []
    else:
        assert body["verification"]


def test_identical_repeat_returns_the_stored_result_with_200(signup_client):
    payload = signup_payload()
    first = post_signup(signup_client, payload).json()
    again = post_signup(signup_client, payload)
    assert again.status_code == 200
    assert again.json() == first
    assert Account.objects.filter(account_id=payload["account_id"]).count() == 1


def test_repeat_without_created_at_matches_the_stored_one(signup_client):
    payload = signup_payload()
    post_signup(signup_client, payload)
    del payload["created_at"]
    assert post_signup(signup_client, payload).status_code == 200


def test_repeat_with_another_email_is_conflict_and_changes_nothing(signup_client):
    payload = signup_payload()
    post_signup(signup_client, payload)
    response = post_signup(signup_client, {**payload, "email": "someone.else@gmail.com"})
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"
    assert Account.objects.get(account_id=payload["account_id"]).email == payload["email"]


def test_signup_without_a_key_is_401(db, baseline):
    from rest_framework.test import APIClient

    response = post_signup(APIClient(), signup_payload())
    assert response.status_code == 401
    assert {"error", "detail"} <= set(response.json())


def test_signup_with_an_unknown_key_is_401(db, baseline):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer rsk_not_a_key")
    assert post_signup(client, signup_payload()).status_code == 401


def test_key_without_signup_scope_is_403(read_client):
    response = post_signup(read_client, signup_payload())
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"


def test_admin_key_may_register_signups(admin_client):
    assert post_signup(admin_client, signup_payload()).status_code == 201


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("pathway", "military"),
        ("ip", "999.1.1.1"),
        ("email", "not-an-email"),
        ("email", ["a@b.c"]),
        ("created_at", "yesterday"),
        ("created_at", "2026-03-01T12:00:00"),
        ("account_id", "x" * 300),
        ("account_id", "has spaces"),
        ("phone", "4155550100"),
        ("country", "XX"),
        ("device_id", 12345),
    ],
)
def test_invalid_field_is_400_with_field_errors_and_stores_nothing(signup_client, field, value):
    payload = signup_payload(**{field: value})
    response = post_signup(signup_client, payload)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "validation_error"
    assert field in body["fields"]
    assert not Account.objects.exists()
    assert not IdentifierSighting.objects.exists()


def test_missing_required_field_is_400(signup_client):
    payload = signup_payload()
    del payload["ip"]
    response = post_signup(signup_client, payload)
    assert response.status_code == 400
    assert "ip" in response.json()["fields"]


def test_body_that_is_not_an_object_is_400(signup_client):
    response = post_signup(signup_client, [1, 2, 3])
    assert response.status_code == 400


def test_malformed_json_is_400(signup_client):
    response = signup_client.post("/api/v1/signups", data=b"{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"] == "malformed_json"


def test_non_json_content_type_is_415(signup_client):
    response = signup_client.post("/api/v1/signups", data=b"account_id=1", content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["error"] == "unsupported_media_type"


def test_trailing_slash_is_accepted_without_redirect(signup_client):
    assert post_signup(signup_client, signup_payload()).status_code == 201
    response = signup_client.post("/api/v1/signups/", signup_payload(), format="json")
    assert response.status_code == 201


def test_signup_writes_one_signup_score_record(signup_client):
    payload = signup_payload()
    post_signup(signup_client, payload)
    records = ScoreRecord.objects.filter(account__account_id=payload["account_id"])
    assert [r.trigger for r in records] == ["signup"]


def test_created_at_in_another_zone_is_stored_in_utc(signup_client, read_client):
    payload = signup_payload(created_at="2026-03-01T14:00:00+02:00")
    post_signup(signup_client, payload)
    body = read_client.get(f"/api/v1/accounts/{payload['account_id']}").json()
    assert body["created_at"] == "2026-03-01T12:00:00Z"


def test_shared_card_raises_the_score_of_later_signups(signup_client):
    card = "pmfp_shared_pool"
    scores = []
    for i in range(12):
        payload = signup_payload(
            payment_fingerprint=card,
            email=f"user{i}x9q@gmail.com",
            organization="",
            pathway="research",
            created_at=f"2026-03-01T12:{i:02d}:00Z",
        )
        scores.append(post_signup(signup_client, payload).json())
    assert scores[-1]["score"] > scores[0]["score"]
    assert "shared_payment_fingerprint" in {r["code"] for r in scores[-1]["reasons"]}


def test_scope_lists_are_enforced_per_key(db, baseline):
    ingest_only = client_with_scopes("ingest")
    assert post_signup(ingest_only, signup_payload()).status_code == 403
