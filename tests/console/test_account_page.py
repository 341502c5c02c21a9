"""The account page: masked signup data, reasons, history, usage, linked accounts, and actions with notes."""

from datetime import UTC, datetime, timedelta

import pytest

from accounts.models import AuditEntry, IdentifierKind, UsageEvent
from tests.console.conftest import make_account, make_cluster, share_identifier


def test_personal_data_is_masked(analyst_web):
    account = make_account(email="jane.doe@cs.stanford.edu", phone="+14155550123", ip="171.64.12.7")
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert "jane.doe" not in page
    assert "j•••@cs.stanford.edu" in page
    assert "5550123" not in page
    assert "171.64.12.0/24" in page and "171.64.12.7" not in page
    assert account.payment_fingerprint not in page and account.device_id not in page


def test_reasons_are_shown_in_plain_words_with_their_direction(analyst_web):
    account = make_account()
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert "payment card seen on 40 other accounts in 24h" in page
    assert "raises risk" in page


def test_accounts_sharing_an_identifier_are_listed_by_kind_never_by_hash(analyst_web):
    account, other = make_account(), make_account()
    share_identifier([account, other], kind=IdentifierKind.PAYMENT_FINGERPRINT, value_key=8_675_309_000_111)
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert "payment card" in page
    assert other.account_id in page
    assert "8675309000111" not in page


def test_usage_over_time_shows_volume_capability_mix_cot_share_and_models(analyst_web):
    account = make_account()
    start = datetime(2026, 3, 2, tzinfo=UTC)
    for index in range(4):
        UsageEvent.objects.create(
            event_id=f"e{index}",
            account=account,
            timestamp=start + timedelta(days=index // 2),
            ip="171.64.12.7",
            model="model-large-2" if index == 3 else "model-large-1",
            input_tokens=100,
            output_tokens=50,
            cot_elicitation=0.9 if index < 2 else 0.1,
            category="coding" if index else "grading",
        )
    response = analyst_web.get(f"/console/accounts/{account.account_id}/")
    usage = response.context["usage"]
    assert usage.total_events == 4
    assert usage.cot_share == pytest.approx(0.5)
    assert usage.categories == {"coding": 3, "grading": 1}
    assert [(day.events, day.tokens) for day in usage.days] == [(2, 300), (2, 300)]
    assert [(model.model, model.events) for model in usage.models] == [("model-large-1", 3), ("model-large-2", 1)]
    assert "Requests per day by capability" in response.content.decode()


def test_the_score_history_is_drawn_as_a_chart(analyst_web, baseline):
    from accounts.services import register_signup
    from tests.builders import signup_input

    account = register_signup(signup=signup_input()).account
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert '<svg class="chart"' in page and "<title>Score history</title>" in page
    assert page.count('class="dot series-0"') == 1


def test_the_account_page_links_its_cluster(analyst_web):
    account = make_account()
    make_cluster([account], cluster_id="cl_acc")
    assert "/console/clusters/cl_acc/" in analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("verify", "verification_required"),
        ("limit", "limited"),
        ("suspend", "suspended"),
        ("ban", "banned"),
        ("restore", "active"),
    ],
)
def test_each_action_with_a_note_sets_the_status_and_is_audited(analyst_web, action, status):
    account = make_account(status="limited")
    response = analyst_web.post(
        f"/console/accounts/{account.account_id}/decide/", {"action": action, "note": "seen the evidence"}
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.status == status
    entry = AuditEntry.objects.get(object_id=account.account_id)
    assert (entry.action, entry.actor, entry.detail["note"]) == (f"decision:{action}", "user:ana", "seen the evidence")


def test_a_label_is_recorded_for_training(analyst_web):
    account = make_account()
    analyst_web.post(f"/console/accounts/{account.account_id}/decide/", {"label": "abusive", "note": "shared card"})
    account.refresh_from_db()
    assert (account.label, account.label_source) == ("abusive", "user:ana")


def test_an_action_without_a_note_is_refused_and_changes_nothing(analyst_web):
    account = make_account()
    response = analyst_web.post(f"/console/accounts/{account.account_id}/decide/", {"action": "ban", "note": ""})
    assert response.status_code == 400
    account.refresh_from_db()
    assert account.status == "suspended"
    assert not AuditEntry.objects.filter(object_type="account").exists()


def test_an_unknown_account_is_a_404_page(analyst_web):
    assert analyst_web.get("/console/accounts/nobody/").status_code == 404


def test_the_gateway_state_and_each_tier_change_with_its_cause_are_shown(analyst_web):
    account = make_account(status="limited")
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert "No enforcement state yet." in page and "No tier changes yet." in page
    analyst_web.post(f"/console/accounts/{account.account_id}/decide/", {"action": "ban", "note": "card pool"})
    page = analyst_web.get(f"/console/accounts/{account.account_id}/").content.decode()
    assert '<span class="badge">blocked</span> · reasoning none' in page
    assert "— → blocked" in page and "<td>decision</td>" in page and "status banned" in page
