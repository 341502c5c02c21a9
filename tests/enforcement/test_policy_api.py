"""Changing the enforcement policy without code: the admin API, its preview, and bad documents."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from enforcement.models import Enforcement, EnforcementPolicy
from enforcement.policy import DEFAULT_ENFORCEMENT_POLICY
from tests.enforcement.builders import new_account


def candidate(**changes) -> dict:
    document = copy.deepcopy(DEFAULT_ENFORCEMENT_POLICY)
    document.update(changes)
    return document


def test_the_policy_in_force_is_the_default_until_one_is_installed(admin_client):
    body = admin_client.get("/api/v1/enforcement-policy").json()
    assert (body["policy_version"], body["document"]) == ("enf-0", DEFAULT_ENFORCEMENT_POLICY)


def test_preview_counts_the_accounts_that_would_change_tier_and_installs_nothing(admin_client):
    students = [new_account() for _ in range(2)]
    new_account(pathway="enterprise", email="it@acme-corp.com", organization="Acme Corp")
    response = admin_client.post(
        "/api/v1/enforcement-policy/preview", {"document": candidate(earn_standard_after_days=0)}, format="json"
    )
    assert response.json() == {
        "accounts": 3,
        "would_change_tier": 2,
        "transitions": {"probation->standard": 2},
        "tiers_after": {"standard": 2, "trusted": 1},
    }
    assert not EnforcementPolicy.objects.exists()
    assert {Enforcement.objects.get(account=s).tier for s in students} == {"probation"}


def test_installing_a_policy_makes_a_new_version(admin_client):
    response = admin_client.put("/api/v1/enforcement-policy", {"document": candidate()}, format="json")
    assert (response.status_code, response.json()["policy_version"]) == (201, "enf-1")


@pytest.mark.parametrize(
    "document",
    [
        candidate(tiers={"standard": {}}),
        candidate(blocked_statuses=["banned"]),
        candidate(restricted_bands=["very-high"]),
        candidate(valid_for_seconds=-1),
        {**candidate(), "tiers": {**candidate()["tiers"], "blocked": {**candidate()["tiers"]["standard"]}}},
        candidate(cot_elicitation={**DEFAULT_ENFORCEMENT_POLICY["cot_elicitation"], "min_score": 0.65}),
        "not an object",
    ],
    ids=[
        "missing tiers",
        "banned not blocked",
        "unknown band",
        "negative ttl",
        "blocked allows traffic",
        "cot score not counted hourly",
        "string",
    ],
)
def test_a_bad_policy_is_400_and_changes_nothing(admin_client, document):
    response = admin_client.put("/api/v1/enforcement-policy", {"document": document}, format="json")
    assert (response.status_code, response.json()["error"]) == (400, "validation_error")
    assert not EnforcementPolicy.objects.exists()


def test_only_admins_change_the_policy(read_client):
    response = read_client.put("/api/v1/enforcement-policy", {"document": candidate()}, format="json")
    assert response.status_code == 403


def test_the_command_previews_a_policy_file_without_installing_it(baseline, tmp_path):
    new_account()
    path = tmp_path / "candidate.json"
    path.write_text(json.dumps(candidate(earn_standard_after_days=0)))
    out = StringIO()
    call_command("enforcement", "--preview", str(path), stdout=out)
    assert json.loads(out.getvalue())["transitions"] == {"probation->standard": 1}
    assert not EnforcementPolicy.objects.exists()


def test_the_command_refuses_a_bad_policy_file(baseline, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"tiers": {}}')
    with pytest.raises(CommandError, match="not a usable enforcement policy"):
        call_command("enforcement", "--set", str(path))
    assert not EnforcementPolicy.objects.exists()
