"""Detection runs over registered signups: clusters, stable ids across runs, what changed, cluster features."""

from __future__ import annotations

import pytest

from accounts.models import Account, Label
from accounts.services import register_signup
from clusters.models import Cluster, ClusterMember
from clusters.selectors import cluster_features
from clusters.services import detect_clusters
from tests.builders import signup_input

pytestmark = pytest.mark.django_db


def card_ring(count: int, *, card: str = "pmfp_ring", start: int = 0) -> list[Account]:
    """Accounts of a card pool: strangers (webmail, other networks) paying with one card."""
    return [
        register_signup(
            signup=signup_input(
                email=f"user{start + i}x{card}@gmail.com",
                pathway="standard",
                organization="",
                ip=f"198.51.{start + i}.{10 + i}",
                payment_fingerprint=card,
                phone="",
                created_at=f"2026-03-01T12:{start + i:02d}:00Z",
            )
        ).account
        for i in range(count)
    ]


def startup_team(count: int) -> list[Account]:
    """A startup's team: the company's domain, card and office network."""
    return [
        register_signup(
            signup=signup_input(
                email=f"dev{i}@northwind-labs.com",
                pathway="startup",
                organization="Northwind Labs",
                ip=f"203.0.113.{10 + i}",
                payment_fingerprint="pmfp_northwind",
                phone="",
                created_at=f"2026-03-0{1 + i}T10:00:00Z",
            )
        ).account
        for i in range(count)
    ]


def test_accounts_sharing_a_card_become_one_cluster_with_their_ids_on_the_accounts(baseline):
    ring = card_ring(4)
    loner = register_signup(signup=signup_input(email="alone@proton.me", ip="192.0.2.77", phone="")).account
    result = detect_clusters()
    (cluster,) = Cluster.objects.filter(dissolved_at__isnull=True)
    assert cluster.size == 4
    assert {a.cluster_id for a in Account.objects.filter(pk__in=[a.pk for a in ring])} == {cluster.cluster_id}
    assert Account.objects.get(pk=loner.pk).cluster_id is None
    assert sorted(result.changed_account_ids) == sorted(a.account_id for a in ring)
    assert {"kind": "payment_fingerprint", "accounts": 4} in cluster.links


def test_a_second_run_over_the_same_evidence_keeps_the_cluster_and_changes_no_account(baseline):
    card_ring(3)
    detect_clusters()
    before = Cluster.objects.get()
    joined = dict(ClusterMember.objects.values_list("account_id", "joined_at"))
    assert detect_clusters().changed_account_ids == []
    after = Cluster.objects.get()
    assert after.cluster_id == before.cluster_id and after.size == 3
    assert dict(ClusterMember.objects.values_list("account_id", "joined_at")) == joined


def test_a_cluster_keeps_its_id_as_a_new_wave_joins_and_old_members_keep_their_join_time(baseline):
    first_wave = card_ring(3)
    detect_clusters()
    cluster_id = Cluster.objects.get().cluster_id
    joined = dict(ClusterMember.objects.values_list("account_id", "joined_at"))
    second_wave = card_ring(3, start=10)
    result = detect_clusters()
    cluster = Cluster.objects.get(dissolved_at__isnull=True)
    assert cluster.cluster_id == cluster_id and cluster.size == 6
    now_joined = dict(ClusterMember.objects.values_list("account_id", "joined_at"))
    assert all(now_joined[a.pk] == joined[a.pk] for a in first_wave)
    assert all(now_joined[a.pk] > max(joined.values()) for a in second_wave)
    assert set(result.changed_account_ids) >= {a.account_id for a in second_wave}


def test_a_startup_team_is_a_cluster_with_a_low_score(baseline):
    team = startup_team(6)
    detect_clusters()
    cluster = Cluster.objects.get()
    assert cluster.size == len(team) and cluster.band == "low"


def test_labelling_members_abusive_raises_the_cluster_band_and_reports_every_member(baseline):
    ring = startup_team(6)
    detect_clusters()
    before = Cluster.objects.get()
    Account.objects.filter(pk__in=[a.pk for a in ring]).update(label=Label.ABUSIVE)
    result = detect_clusters()
    after = Cluster.objects.get()
    assert after.score > before.score and after.band in ("high", "critical")
    assert before.band != after.band
    assert sorted(result.changed_account_ids) == sorted(a.account_id for a in ring)


def test_legitimate_labels_lower_the_cluster_score(baseline):
    ring = card_ring(6)
    detect_clusters()
    before = Cluster.objects.get().score
    Account.objects.filter(pk__in=[a.pk for a in ring]).update(label=Label.LEGITIMATE)
    detect_clusters()
    assert Cluster.objects.get().score < before


def test_cluster_features_describe_each_accounts_cluster_without_its_own_label(baseline):
    ring = card_ring(5)
    loner = register_signup(signup=signup_input(email="alone@proton.me", ip="192.0.2.77", phone="")).account
    detect_clusters()
    Account.objects.filter(pk__in=[ring[0].pk, ring[1].pk]).update(label=Label.ABUSIVE)
    features = cluster_features([ring[0].pk, ring[4].pk, loner.pk])
    assert features[ring[0].pk]["cluster_size"] == 5
    assert features[ring[0].pk]["cluster_abusive_share"] == 1 / 4
    assert features[ring[4].pk]["cluster_abusive_share"] == 2 / 4
    assert features[ring[0].pk]["cluster_score"] == Cluster.objects.get().score
    assert features[loner.pk] == {
        "cluster_size": 0.0,
        "cluster_density": 0.0,
        "cluster_score": 0.0,
        "cluster_synchrony": 0.0,
        "cluster_abusive_share": 0.0,
    }


def test_a_cluster_whose_links_are_gone_is_dissolved_and_its_members_freed(baseline):
    from clusters.models import LinkEvidence

    ring = card_ring(3)
    detect_clusters()
    LinkEvidence.objects.all().delete()  # as if the evidence had been erased
    from django.utils import timezone

    from clusters.graph.detector import InProcessDetector
    from clusters.loading import load_graph
    from clusters.services import store_clusters

    changed, stats = store_clusters(load_graph(), InProcessDetector().detect(load_graph()), now=timezone.now())
    assert stats["dissolved"] == 1 and changed == {a.pk for a in ring}
    assert not Account.objects.filter(cluster_id__isnull=False).exists()
    assert Cluster.objects.get().dissolved_at is not None


def test_a_new_signup_with_a_known_campaigns_card_gets_that_clusters_features_before_any_run(baseline):
    from clusters.selectors import signup_cluster_features
    from riskscore.features.signup import extract_signup_features

    ring = card_ring(4)
    detect_clusters()
    Account.objects.filter(pk=ring[0].pk).update(label=Label.ABUSIVE)
    newcomer = signup_input(email="fresh77@gmail.com", ip="192.0.2.200", payment_fingerprint="pmfp_ring", phone="")
    evidence = extract_signup_features(newcomer)
    features = signup_cluster_features(identifiers=evidence.identifiers, at=newcomer.created_at)
    assert features["cluster_size"] == 4 and features["cluster_abusive_share"] == 1 / 4
    stranger = signup_input(email="other@gmail.com", ip="192.0.2.201", payment_fingerprint="pmfp_other", phone="")
    evidence = extract_signup_features(stranger)
    assert signup_cluster_features(identifiers=evidence.identifiers, at=stranger.created_at)["cluster_size"] == 0


def test_a_detection_run_restricts_the_members_of_a_flagged_ring_that_signup_let_through(baseline):
    from enforcement.models import Enforcement, TierChange

    ring = card_ring(12)
    let_through = set(
        Enforcement.objects.filter(account__in=ring)
        .exclude(tier__in=["restricted", "blocked"])
        .values_list("account", flat=True)
    )
    assert let_through  # the ring's first card user looked clean at signup
    detect_clusters()
    assert Cluster.objects.get(dissolved_at__isnull=True).band in {"high", "critical"}
    moved = Enforcement.objects.filter(account__in=let_through)
    assert set(moved.values_list("tier", flat=True)) == {"restricted"}
    by_cluster = TierChange.objects.filter(account__in=let_through, cause="cluster", to_tier="restricted")
    assert by_cluster.count() == len(let_through)


def test_accounts_a_run_moves_are_flagged_for_a_re_score_sent_when_the_run_commits(
    baseline, monkeypatch, django_capture_on_commit_callbacks
):
    sent: list[list[int]] = []
    monkeypatch.setattr("clusters.services.request_rescores", sent.append)
    ring = card_ring(3)
    loner = register_signup(signup=signup_input(email="alone@proton.me", ip="192.0.2.77", phone="")).account
    with django_capture_on_commit_callbacks(execute=True):
        detect_clusters()
    flagged = set(Account.objects.filter(rescore_requested_at__isnull=False).values_list("pk", flat=True))
    assert flagged == {a.pk for a in ring} and loner.pk not in flagged
    assert sent == [sorted(a.pk for a in ring)]
    with django_capture_on_commit_callbacks(execute=True):
        detect_clusters()  # nothing moved: nothing more to re-score
    assert sent[1:] == [[]]
