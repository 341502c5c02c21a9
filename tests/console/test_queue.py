"""The review queue: what is in it, its filters and orderings, and decisions on a selection."""

from datetime import UTC, datetime

from accounts.models import Account, AuditEntry
from tests.console.conftest import make_account, make_cluster


def _listed(response) -> list[str]:
    return [account.account_id for account in response.context["page"]]


def test_queue_holds_review_and_deny_decisions_and_high_and_critical_bands_only(analyst_web):
    denied = make_account(decision="deny", band="critical")
    reviewed = make_account(decision="review", band="high", status="limited")
    high_but_verify = make_account(decision="verify", band="high", status="verification_required")
    make_account(decision="allow", band="low", status="active")
    make_account(decision="verify", band="medium", status="verification_required")
    listed = _listed(analyst_web.get("/console/queue/"))
    assert sorted(listed) == sorted([denied.account_id, reviewed.account_id, high_but_verify.account_id])


def test_queue_filters_by_pathway_band_cluster_status_and_signup_date(analyst_web):
    startup = make_account(pathway="startup", band="high", decision="review", status="limited")
    early = make_account(created_at=datetime(2026, 1, 2, tzinfo=UTC))
    clustered = make_account()
    make_cluster([clustered], cluster_id="cl_q")
    assert _listed(analyst_web.get("/console/queue/?pathway=startup")) == [startup.account_id]
    assert _listed(analyst_web.get("/console/queue/?band=high")) == [startup.account_id]
    assert _listed(analyst_web.get("/console/queue/?status=limited")) == [startup.account_id]
    assert _listed(analyst_web.get("/console/queue/?cluster=cl_q")) == [clustered.account_id]
    assert _listed(analyst_web.get("/console/queue/?signup_to=2026-01-31")) == [early.account_id]
    assert early.account_id not in _listed(analyst_web.get("/console/queue/?signup_from=2026-02-01"))


def test_queue_sorts_by_score_or_by_newest_evidence(analyst_web):
    older_high = make_account(score=0.99, created_at=datetime(2026, 2, 1, tzinfo=UTC))
    newer_low = make_account(score=0.6, created_at=datetime(2026, 3, 1, tzinfo=UTC))
    assert _listed(analyst_web.get("/console/queue/?sort=score")) == [older_high.account_id, newer_low.account_id]
    assert _listed(analyst_web.get("/console/queue/?sort=evidence")) == [newer_low.account_id, older_high.account_id]


def test_bulk_label_and_ban_apply_to_each_selected_account_with_its_own_audit_entry(analyst_web):
    first, second, untouched = make_account(), make_account(), make_account()
    response = analyst_web.post(
        "/console/queue/decide/",
        {
            "account_ids": [first.account_id, second.account_id],
            "label": "abusive",
            "action": "ban",
            "note": "card pool",
        },
    )
    assert response.status_code == 302
    for account in (first, second):
        account.refresh_from_db()
        assert (account.label, account.status, account.label_source) == ("abusive", "banned", "user:ana")
    assert AuditEntry.objects.filter(action="decision:ban", actor="user:ana").count() == 2
    untouched.refresh_from_db()
    assert untouched.status == "suspended"


def test_accounts_with_a_decision_leave_the_open_queue(analyst_web):
    account = make_account()
    analyst_web.post(
        "/console/queue/decide/", {"account_ids": [account.account_id], "label": "legitimate", "note": "ok"}
    )
    assert account.account_id not in _listed(analyst_web.get("/console/queue/"))
    assert account.account_id in _listed(analyst_web.get("/console/queue/?review=reviewed"))


def test_a_bulk_decision_without_a_note_changes_nothing(analyst_web):
    account = make_account()
    analyst_web.post("/console/queue/decide/", {"account_ids": [account.account_id], "action": "ban", "note": " "})
    assert Account.objects.get(pk=account.pk).status == "suspended"
    assert not AuditEntry.objects.filter(action__startswith="decision").exists()


def test_a_bulk_decision_on_an_unknown_account_changes_nothing(analyst_web):
    account = make_account()
    analyst_web.post(
        "/console/queue/decide/", {"account_ids": [account.account_id, "no_such"], "action": "ban", "note": "x"}
    )
    assert Account.objects.get(pk=account.pk).status == "suspended"


def test_bad_filter_values_show_the_queue_with_an_error_instead_of_failing(analyst_web):
    account = make_account()
    response = analyst_web.get("/console/queue/?signup_from=yesterday&band=purple&page=zz")
    assert response.status_code == 200
    assert "Filters ignored" in response.content.decode()
    assert _listed(response) == [account.account_id]
