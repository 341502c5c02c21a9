"""What a partner's indicator does here: signups and accounts that match are flagged, others pass."""

from __future__ import annotations

from accounts.models import Account, UsageEvent
from enforcement.models import Enforcement
from intel.matching import account_matches, accounts_matches, kinds_present
from intel.models import ImportedIndicator
from riskscore import jobs
from riskscore.tasks import JOB_HANDLERS
from tests.builders import signup_payload
from tests.enforcement.builders import add_usage, new_account
from tests.intel.builders import bundle, indicator


def import_indicators(client, *items):
    response = client.post("/api/v1/intel/import", bundle(*items), format="json")
    assert response.status_code == 202, response.content
    kinds_present.clear()
    return response.json()


def signup(client, **fields):
    response = client.post("/api/v1/signups", signup_payload(**fields), format="json")
    assert response.status_code == 201, response.content
    return response.json()


# A match is at least a review by policy, restricted at the gateway; the models' learned weight (both
# baselines train on a simulated partner's indicators) may take it further, to deny and blocked.
FLAGGED = ("review", "deny")
LIMITED = ("restricted", "blocked")


def test_a_signup_with_a_card_a_partner_flagged_gets_the_reason_and_at_least_a_review(admin_client):
    import_indicators(admin_client, indicator("payment_fingerprint", "card-pool-77"))
    body = signup(admin_client, payment_fingerprint="card-pool-77")
    assert body["reasons"][0]["code"] == "partner_indicator"
    assert body["decision"] in FLAGGED
    assert Enforcement.objects.get(account__account_id=body["account_id"]).tier in LIMITED


def test_a_signup_matching_nothing_passes(admin_client):
    import_indicators(admin_client, indicator("payment_fingerprint", "card-pool-77"))
    body = signup(admin_client)
    assert (body["decision"], [r["code"] for r in body["reasons"] if r["code"] == "partner_indicator"]) == ("allow", [])


def test_a_signup_in_a_flagged_email_domain_or_network_matches(admin_client):
    import_indicators(admin_client, indicator("ip_prefix", "203.0.113.0/24"), indicator("email_domain", "farm.io"))
    body = signup(admin_client, ip="203.0.113.77", email="x9@FARM.io", pathway="standard", organization="")
    partner = [r for r in body["reasons"] if r["code"] == "partner_indicator"]
    assert partner and partner[0]["description"].startswith("2 of its identifiers")


def test_an_expired_indicator_stops_counting(admin_client):
    import_indicators(admin_client, indicator("device_id", "dev-old", valid_until="2026-02-15T00:00:00Z"))
    body = signup(admin_client, device_id="dev-old", created_at="2026-03-01T12:00:00Z")
    assert "partner_indicator" not in [r["code"] for r in body["reasons"]]


def test_a_revoked_indicator_stops_counting(admin_client):
    import_indicators(admin_client, indicator("device_id", "dev-rev", revoked=True))
    body = signup(admin_client, device_id="dev-rev")
    assert "partner_indicator" not in [r["code"] for r in body["reasons"]]


def test_existing_accounts_that_match_are_rescored_and_limited(admin_client):
    body = signup(admin_client, phone="+14155550142")
    assert body["decision"] == "allow"
    result = import_indicators(admin_client, indicator("phone", "+14155550142"))
    jobs.run(result["rescore_job_id"], JOB_HANDLERS)
    account = Account.objects.get(account_id=body["account_id"])
    assert account.reasons[0]["code"] == "partner_indicator" and account.decision in FLAGGED
    assert Enforcement.objects.get(account=account).tier in LIMITED


def test_an_account_whose_prompts_follow_a_flagged_template_is_found_and_flagged(admin_client):
    account = new_account()
    add_usage(account, days_after_signup=1, count=3)
    UsageEvent.objects.filter(account=account).update(template_fingerprint=-9151314442816847872)
    result = import_indicators(admin_client, indicator("template_fingerprint", "-9151314442816847872"))
    assert result["matching_accounts"] == 1
    jobs.run(result["rescore_job_id"], JOB_HANDLERS)
    assert Account.objects.get(pk=account.pk).reasons[0]["code"] == "partner_indicator"


def test_a_batch_of_accounts_is_matched_each_at_its_own_time_as_one_by_one(admin_client):
    """A re-score batch's partner matches come from two queries; each account still counts only the
    indicators live at its own newest event time, and never a revoked one."""
    card_user = new_account(payment_fingerprint="pmfp_batch_card")  # signed up 2026-03-01
    phone_user = new_account(phone="+14155550177", payment_fingerprint="pmfp_batch_card")
    template_user = new_account()
    add_usage(template_user, days_after_signup=1, count=2)
    UsageEvent.objects.filter(account=template_user).update(template_fingerprint=-9151314442816847872)
    bystander = new_account()
    import_indicators(
        admin_client,
        indicator("payment_fingerprint", "pmfp_batch_card"),
        # Expired before any of these accounts' times: matches none.
        indicator("phone", "+14155550177", valid_from="2026-01-01T00:00:00Z", valid_until="2026-02-01T00:00:00Z"),
        indicator("template_fingerprint", "-9151314442816847872"),
    )
    accounts = [card_user, phone_user, template_user, bystander]
    assert accounts_matches(accounts) == {card_user.pk: 1, phone_user.pk: 1, template_user.pk: 1, bystander.pk: 0}
    assert accounts_matches(accounts) == {account.pk: account_matches(account) for account in accounts}

    ImportedIndicator.objects.filter(kind="payment_fingerprint").update(revoked=True)
    assert accounts_matches(accounts) == {card_user.pk: 0, phone_user.pk: 0, template_user.pk: 1, bystander.pk: 0}
