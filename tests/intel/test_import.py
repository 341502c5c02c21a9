"""Indicator import: object-by-object validation, idempotent storage, and clear errors for bad input."""

from __future__ import annotations

import json

import pytest
from django.test import override_settings

from intel.models import ImportedIndicator
from tests.enforcement.builders import new_account
from tests.intel.builders import bundle, indicator, pattern, sharing_hmac


def post(client, body, **extra):
    return client.post("/api/v1/intel/import", body, format="json", **extra)


def test_valid_indicators_are_stored_with_source_validity_and_tlp(admin_client):
    item = indicator("payment_fingerprint", "card-1", valid_until="2026-06-01T00:00:00Z")
    response = admin_client.post("/api/v1/intel/import?source=partner-a", bundle(item), format="json")
    assert response.status_code == 202
    assert (response.json()["indicators"], response.json()["rejected"]) == (1, [])
    stored = ImportedIndicator.objects.get()
    assert (stored.source, stored.kind, stored.hmac_sha256, stored.tlp) == (
        "partner-a",
        "payment_fingerprint",
        sharing_hmac("card-1"),
        "amber",
    )
    assert (stored.valid_from.isoformat(), stored.valid_until.isoformat()) == (
        "2026-02-01T00:00:00+00:00",
        "2026-06-01T00:00:00+00:00",
    )


def test_importing_the_same_bundle_twice_changes_nothing(admin_client):
    body = bundle(indicator("device_id", "dev-1"), indicator("phone", "+14155550199"))
    first, second = post(admin_client, body).json(), post(admin_client, body).json()
    assert (first["new"], second["new"], second["updated"], second["indicators"]) == (2, 0, 0, 2)
    assert ImportedIndicator.objects.count() == 2


def test_a_newer_version_of_an_indicator_replaces_the_older(admin_client):
    item = indicator("device_id", "dev-1")
    post(admin_client, bundle(item))
    newer = {**item, "modified": "2026-03-01T00:00:00.000Z", "revoked": True}
    assert post(admin_client, bundle(newer)).json()["updated"] == 1
    assert ImportedIndicator.objects.get().revoked is True


def test_each_bad_object_is_rejected_at_its_index_and_the_good_ones_are_kept(admin_client):
    good = indicator("payment_fingerprint", "card-2")
    body = bundle(
        good,
        {**indicator("device_id", "x"), "pattern": "[not a pattern"},
        {**indicator("device_id", "x"), "pattern": pattern("shoe_size", "a" * 64)},
        {**indicator("device_id", "x"), "pattern": "[ipv4-addr:value = '203.0.113.1']"},
        {"type": "indicator", "spec_version": "2.1", "id": "indicator--nope"},
        "not an object",
        {
            "type": "campaign",
            "spec_version": "2.1",
            "id": "campaign--0b5a3b4e-3d8c-4b8e-9a6c-3b2f1c0d9e8f",
            "created": "2026-02-01T00:00:00Z",
            "modified": "2026-02-01T00:00:00Z",
            "name": "theirs",
        },
    )
    result = post(admin_client, body).json()
    assert result["indicators"] == 1
    assert [(r["index"], r["error"]) for r in result["rejected"]] == [
        (1, "bad_pattern"),
        (2, "unknown_kind"),
        (3, "unknown_kind"),
        (4, "invalid_object"),
        (5, "invalid_object"),
    ]
    assert list(ImportedIndicator.objects.values_list("stix_id", flat=True)) == [good["id"]]


@pytest.mark.parametrize(
    "body",
    [{"objects": "nope"}, {"type": "bundle", "objects": []}, [], {"type": "indicator"}],
    ids=["objects not a list", "no id", "a list", "an indicator alone"],
)
def test_something_that_is_not_a_bundle_is_400_and_imports_nothing(admin_client, body):
    response = post(admin_client, body)
    assert (response.status_code, response.json()["error"]) == (400, "validation_error")
    assert not ImportedIndicator.objects.exists()


def test_malformed_json_is_400(admin_client):
    response = admin_client.post("/api/v1/intel/import", b"{not json", content_type="application/json")
    assert (response.status_code, response.json()["error"]) == (400, "malformed_json")


def test_a_bundle_over_the_size_limit_is_413_and_imports_nothing(admin_client):
    with override_settings(INTEL_MAX_IMPORT_BYTES=2000):
        response = post(admin_client, bundle(*[indicator("device_id", f"d{n}") for n in range(10)]))
    assert (response.status_code, response.json()["error"]) == (413, "too_large")
    assert not ImportedIndicator.objects.exists()


def test_the_stix_media_type_is_accepted(admin_client):
    body = json.dumps(bundle(indicator("device_id", "dev-9")))
    response = admin_client.post("/api/v1/intel/import", body, content_type="application/stix+json;version=2.1")
    assert (response.status_code, response.json()["indicators"]) == (202, 1)


def test_another_media_type_is_415(admin_client):
    response = admin_client.post("/api/v1/intel/import", "x", content_type="text/plain")
    assert response.status_code == 415


def test_a_bundle_made_under_another_key_matches_nothing_and_says_so(admin_client):
    account = new_account()
    item = indicator("payment_fingerprint", account.payment_fingerprint, key="another group's key")
    result = post(admin_client, bundle(item)).json()
    assert (result["indicators"], result["matching_accounts"]) == (1, 0)


def test_a_bundle_under_our_key_reports_the_accounts_it_matches(admin_client):
    account = new_account()
    result = post(admin_client, bundle(indicator("payment_fingerprint", account.payment_fingerprint))).json()
    assert (result["matching_accounts"], result["rescore_job_id"] is not None) == (1, True)


def test_import_needs_the_admin_scope(read_client):
    assert post(read_client, bundle()).status_code == 403
