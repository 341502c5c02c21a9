"""The cluster page: members, links, waves, the drawing, and one action on the whole cluster."""

from datetime import UTC, datetime, timedelta

from accounts.models import Account, AnalystDecision, AuditEntry, IdentifierKind
from console import campaigns
from tests.console.conftest import make_account, make_cluster, share_identifier

START = datetime(2026, 3, 1, tzinfo=UTC)


def _campaign(size: int = 4):
    # Two waves: half on day one, half two days later.
    times = [START + timedelta(minutes=i) for i in range(size // 2)]
    times += [START + timedelta(days=2, minutes=i) for i in range(size - size // 2)]
    members = [make_account(created_at=at) for at in times]
    share_identifier(members, kind=IdentifierKind.PAYMENT_FINGERPRINT, value_key=111)
    share_identifier(members[:2], kind=IdentifierKind.DEVICE_ID, value_key=222)
    return make_cluster(members, cluster_id="cl_camp", joined=times), members


def test_the_cluster_page_shows_members_shared_identifiers_and_waves(analyst_web):
    _, members = _campaign()
    response = analyst_web.get("/console/clusters/cl_camp/")
    page = response.content.decode()
    assert all(member.account_id in page for member in members)
    assert [(item.key, len(item.members)) for item in response.context["shared"]] == [
        ("payment card A", 4),
        ("device A", 2),
    ]
    assert [wave.members for wave in response.context["waves"]] == [2, 2]
    assert "111" not in [item.key for item in response.context["shared"]]


def test_the_link_graph_draws_every_member_and_shared_identifier(analyst_web):
    _campaign()
    page = analyst_web.get("/console/clusters/cl_camp/").content.decode()
    assert page.count('class="node ') == 4
    assert page.count('class="hub ') == 2
    assert page.count('class="edge ') == 6


def test_a_cluster_too_large_to_draw_keeps_its_tables(analyst_web, monkeypatch):
    monkeypatch.setattr(campaigns, "MAX_GRAPH_MEMBERS", 3)
    _campaign()
    response = analyst_web.get("/console/clusters/cl_camp/")
    assert response.context["graph"] is None
    assert len(response.context["members"]) == 4


def test_one_action_bans_every_member_with_an_audit_entry_each_naming_the_cluster(analyst_web):
    _, members = _campaign()
    response = analyst_web.post(
        "/console/clusters/cl_camp/decide/",
        {"label": "abusive", "action": "ban", "note": "distillation campaign", "confirm": "on"},
    )
    assert response.status_code == 302
    assert set(Account.objects.filter(cluster_id="cl_camp").values_list("status", flat=True)) == {"banned"}
    entries = AuditEntry.objects.filter(object_type="account", action="decision:ban")
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(m.account_id for m in members)
    assert {entry.detail["cluster_id"] for entry in entries} == {"cl_camp"}
    assert AuditEntry.objects.get(object_type="cluster").detail["accounts"] == 4
    assert AnalystDecision.objects.filter(label="abusive").count() == 4


def test_a_cluster_action_without_a_note_changes_no_member(analyst_web):
    _campaign()
    response = analyst_web.post("/console/clusters/cl_camp/decide/", {"action": "ban", "note": ""})
    assert response.status_code == 400
    assert not Account.objects.filter(status="banned").exists()


def test_the_cluster_list_orders_clusters_by_score(analyst_web):
    _campaign()
    page = analyst_web.get("/console/clusters/").content.decode()
    assert "cl_camp" in page
