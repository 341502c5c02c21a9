"""Indicator export: a confirmed campaign and only the identifiers that tell, never raw, as STIX 2.1."""

from __future__ import annotations

import json
import re

import pytest

from accounts.models import Account, UsageEvent
from tests.enforcement.builders import add_usage, make_cluster, new_account
from tests.intel.builders import campaign_accounts, confirm_campaign, pattern, sharing_hmac

CONTRACT_PATTERN = re.compile(
    r"^\[x-riskscore-identifier:kind = '(payment_fingerprint|device_id|phone|email_domain|ip_prefix|"
    r"template_fingerprint)' AND x-riskscore-identifier:hmac_sha256 = '[0-9a-f]{64}'\]$"
)


def export(client, since="2026-01-01T00:00:00Z") -> dict:
    response = client.get(f"/api/v1/intel/export?since={since}")
    assert response.status_code == 200, response.content
    return response.json()


def of_type(bundle: dict, kind: str) -> list[dict]:
    return [o for o in bundle["objects"] if o["type"] == kind]


@pytest.fixture
def campaign(baseline) -> list[Account]:
    accounts = campaign_accounts()
    confirm_campaign(accounts)
    return accounts


def test_an_empty_export_still_holds_the_tlp_marking(admin_client):
    bundle = export(admin_client)
    assert (bundle["type"], [o["type"] for o in bundle["objects"]]) == ("bundle", ["marking-definition"])
    assert bundle["objects"][0]["definition"] == {"tlp": "amber"}
    assert "spec_version" not in bundle


def test_a_confirmed_campaign_exports_its_shared_card_device_domain_and_network(admin_client, campaign):
    bundle = export(admin_client)
    member = campaign[0]
    expected = {
        pattern("payment_fingerprint", sharing_hmac(member.payment_fingerprint)),
        pattern("device_id", sharing_hmac(member.device_id)),
        pattern("email_domain", sharing_hmac(member.email.rpartition("@")[2])),
        pattern("ip_prefix", sharing_hmac(member.ip.rsplit(".", 1)[0] + ".0/24")),
    }
    assert {o["pattern"] for o in of_type(bundle, "indicator")} == expected
    assert len(of_type(bundle, "campaign")) == 1


def test_every_object_is_stix_2_1_marked_and_every_indicator_indicates_the_campaign(admin_client, campaign):
    bundle = export(admin_client)
    marking = of_type(bundle, "marking-definition")[0]["id"]
    others = [o for o in bundle["objects"] if o["type"] != "marking-definition"]
    assert all(o["spec_version"] == "2.1" and o["object_marking_refs"] == [marking] for o in others)
    campaign_id = of_type(bundle, "campaign")[0]["id"]
    indicators = {o["id"] for o in of_type(bundle, "indicator")}
    links = {(r["source_ref"], r["relationship_type"], r["target_ref"]) for r in of_type(bundle, "relationship")}
    assert links == {(i, "indicates", campaign_id) for i in indicators}
    assert all(CONTRACT_PATTERN.match(o["pattern"]) and o["valid_from"] for o in of_type(bundle, "indicator"))


def test_the_export_carries_no_raw_identifier(admin_client, campaign):
    text = json.dumps(export(admin_client))
    raw = [campaign[0].payment_fingerprint, campaign[0].device_id, campaign[0].email.rpartition("@")[2]]
    assert [value for value in raw if value in text] == []


def test_a_repeated_export_gives_the_same_ids(admin_client, campaign):
    ids = [{o["id"] for o in export(admin_client)["objects"]} for _ in range(2)]
    assert ids[0] == ids[1]


def test_a_university_network_and_popular_webmail_are_never_exported(admin_client, baseline):
    for n in range(6):  # a class on the campus network
        new_account(email=f"student{n}@cs.stanford.edu", ip=f"171.64.12.{n + 20}")
    confirm_campaign(campaign_accounts(ip="171.64.12.{host}", email="farm{i}.{run}@gmail.com"))
    kinds = {o["pattern"].split("'")[1] for o in of_type(export(admin_client), "indicator")}
    assert kinds == {"payment_fingerprint", "device_id"}


def test_a_card_shared_with_many_legitimate_accounts_is_not_exported(admin_client, baseline):
    members = campaign_accounts()
    for n in range(3):
        new_account(payment_fingerprint=members[0].payment_fingerprint, email=f"lab{n}@mit.edu")
    confirm_campaign(members)
    kinds = {o["pattern"].split("'")[1] for o in of_type(export(admin_client), "indicator")}
    assert "payment_fingerprint" not in kinds and "device_id" in kinds


def test_a_cluster_nobody_confirmed_is_not_exported(admin_client, baseline):
    make_cluster(campaign_accounts(), band="critical")
    assert of_type(export(admin_client), "campaign") == []


def test_since_leaves_out_campaigns_unchanged_since_then(admin_client, campaign):
    assert of_type(export(admin_client, since="2999-01-01T00:00:00Z"), "campaign") == []


def test_a_since_without_a_zone_is_400(admin_client):
    response = admin_client.get("/api/v1/intel/export?since=2026-01-01T00:00:00")
    assert (response.status_code, response.json()["error"]) == (400, "validation_error")


def test_export_needs_the_admin_scope(read_client):
    assert read_client.get("/api/v1/intel/export").status_code == 403


def test_a_prompt_template_the_campaign_shares_is_exported_and_one_legitimate_users_share_is_not(
    admin_client, campaign
):
    for member in campaign:
        add_usage(member, days_after_signup=1, count=2)
    researchers = [new_account(), new_account()]
    for researcher in researchers:
        add_usage(researcher, days_after_signup=1)
    UsageEvent.objects.filter(account__in=campaign).update(template_fingerprint=424242)
    UsageEvent.objects.filter(account__in=[campaign[0], *researchers]).update(template_fingerprint=777)
    templates = {o["pattern"] for o in of_type(export(admin_client), "indicator") if "template" in o["pattern"]}
    assert templates == {pattern("template_fingerprint", sharing_hmac("424242"))}
