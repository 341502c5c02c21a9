"""Reading risk: one account, its score history, and the paginated, filtered list."""

import pytest

from accounts.services import register_signup
from tests.builders import signup_input

ACCOUNT_FIELDS = {
    "account_id",
    "pathway",
    "status",
    "score",
    "band",
    "decision",
    "reasons",
    "cluster_id",
    "model_version",
    "scored_at",
    "evidence_through",
    "created_at",
}


@pytest.fixture
def registered(baseline):
    def register(**overrides):
        return register_signup(signup=signup_input(**overrides)).account

    return register


def test_account_has_every_contract_field(read_client, registered):
    account = registered()
    response = read_client.get(f"/api/v1/accounts/{account.account_id}")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == ACCOUNT_FIELDS
    assert body["evidence_through"] is None
    assert body["scored_at"].endswith("Z")


def test_unknown_account_is_404_with_error_body(read_client):
    response = read_client.get("/api/v1/accounts/nobody_here")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"


def test_reading_needs_the_read_scope(db, baseline, registered):
    from tests.conftest import client_with_scopes

    account = registered()
    assert client_with_scopes("signup").get(f"/api/v1/accounts/{account.account_id}").status_code == 403


def test_score_history_is_newest_first_and_begins_with_signup(read_client, registered):
    account = registered()
    history = read_client.get(f"/api/v1/accounts/{account.account_id}/scores/").json()
    assert [entry["trigger"] for entry in history] == ["signup"]
    assert {"score", "band", "decision", "trigger", "model_version", "scored_at", "evidence_through"} <= set(history[0])


def test_pages_cover_every_account_once_even_with_tied_scores(read_client, registered):
    ids = {
        registered(account_id=f"page_{i}", created_at=f"2026-03-0{1 + i % 3}T10:00:00Z").account_id for i in range(7)
    }
    seen, url = [], "/api/v1/accounts?page_size=2&ordering=created_at"
    while url:
        body = read_client.get(url).json()
        assert len(body["results"]) <= 2
        seen += [row["account_id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(ids)


def test_next_link_is_absolute(read_client, registered):
    for i in range(3):
        registered(account_id=f"abs_{i}")
    body = read_client.get("/api/v1/accounts?page_size=1").json()
    assert body["next"].startswith("http://")


def test_ordering_by_score_descending(read_client, registered):
    for i in range(5):
        registered(account_id=f"ord_{i}", email=f"x{i}q7zk{i}@mailinator.com" if i % 2 else f"a.b{i}@ox.ac.uk")
    scores = [row["score"] for row in read_client.get("/api/v1/accounts?ordering=-score").json()["results"]]
    assert scores == sorted(scores, reverse=True)


def test_pathway_filter_returns_only_that_pathway(read_client, registered):
    registered(account_id="r1", pathway="research")
    registered(account_id="s1", pathway="startup")
    results = read_client.get("/api/v1/accounts?pathway=research").json()["results"]
    assert [row["account_id"] for row in results] == ["r1"]


def test_unknown_filter_value_is_400(read_client):
    response = read_client.get("/api/v1/accounts?band=purple")
    assert response.status_code == 400
    assert "band" in response.json()["fields"]


def test_page_size_is_clamped_to_1000(read_client, registered):
    registered()
    assert read_client.get("/api/v1/accounts?page_size=5000").status_code == 200


def test_forged_cursor_is_400(read_client):
    assert read_client.get("/api/v1/accounts?cursor=bm9wZQ").status_code == 400
