"""The audit log page: searchable, newest first, read-only."""

from accounts.audit import record_audit
from tests.console.conftest import make_account


def test_the_audit_log_finds_an_entry_by_the_words_of_its_note(analyst_web):
    account = make_account()
    analyst_web.post(f"/console/accounts/{account.account_id}/decide/", {"action": "limit", "note": "templated sweep"})
    record_audit(actor="cli", action="set_policy", object_type="policy", object_id="2")
    response = analyst_web.get("/console/audit/?q=templated")
    entries = list(response.context["page"])
    assert [(entry.action, entry.object_id) for entry in entries] == [("decision:limit", account.account_id)]


def test_the_audit_log_filters_by_object_kind_and_actor(analyst_web):
    record_audit(actor="cli", action="set_policy", object_type="policy", object_id="2")
    record_audit(actor="user:root", action="activate_model", object_type="model", object_id="m1")
    assert [e.object_id for e in analyst_web.get("/console/audit/?object_type=model").context["page"]] == ["m1"]
    assert [e.object_id for e in analyst_web.get("/console/audit/?actor=cli").context["page"]] == ["2"]


def test_the_audit_log_cannot_be_changed_from_the_console(analyst_web):
    record_audit(actor="cli", action="set_policy", object_type="policy", object_id="2")
    assert analyst_web.post("/console/audit/", {"action": "x"}).status_code == 405
