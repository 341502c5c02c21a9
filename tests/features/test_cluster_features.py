"""Cluster features of the account model: own and linked clusters, known now or as known then, in a few queries."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.ingest import EventInput, ingest_events
from accounts.models import Account, AnalystDecision, Label
from accounts.services import DecisionInput, record_decision, register_signup
from clusters.graph.kinds import RULES, LinkKind
from clusters.models import Cluster
from clusters.services import detect_clusters
from riskscore import registry
from riskscore.features.cluster import CLUSTER_FEATURES, cluster_features_many
from riskscore.features.usage import account_features_many
from riskscore.models import ModelVersion
from riskscore.scoring import score_many
from tests.builders import signup_input

pytestmark = pytest.mark.django_db

RING_START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def signup(n: int, *, card: str, at: datetime) -> Account:
    """A stranger (webmail, own network and device, no phone) paying with `card`."""
    return register_signup(
        signup=signup_input(
            email=f"user{n}x{card}@gmail.com",
            pathway="standard",
            organization="",
            ip=f"198.51.{n}.{10 + n}",
            payment_fingerprint=card,
            phone="",
            created_at=at.isoformat(),
        )
    ).account


def card_ring(count: int, *, card: str = "pmfp_ring") -> list[Account]:
    return [signup(i, card=card, at=RING_START + timedelta(minutes=i)) for i in range(count)]


def label_abusive(accounts: list[Account]) -> None:
    for account in accounts:
        decision = DecisionInput(account_id=account.account_id, label=Label.ABUSIVE, action="none", note="")
        record_decision(decision=decision, actor="analyst")


def features(accounts: list[Account], at: datetime, *, as_known_then: bool = False) -> dict[int, dict]:
    return cluster_features_many(accounts, at={a.pk: at for a in accounts}, as_known_then=as_known_then)


def test_a_member_gets_its_clusters_size_score_and_the_share_of_others_labelled_abusive(baseline):
    ring = card_ring(5)
    detect_clusters()
    label_abusive(ring[1:3])
    mine = features([ring[0]], RING_START + timedelta(days=1))[ring[0].pk]
    assert mine["cluster_size"] == 5
    assert mine["cluster_score"] == Cluster.objects.get().score
    assert mine["cluster_abusive_share"] == 2 / 4


def test_a_new_account_sharing_a_card_with_a_cluster_is_linked_to_it_before_the_next_detection_run(baseline):
    ring = card_ring(5)
    detect_clusters()
    label_abusive(ring[:2])
    newcomer = signup(50, card="pmfp_ring", at=RING_START + timedelta(hours=3))
    stranger = signup(51, card="pmfp_other", at=RING_START + timedelta(hours=3))
    found = features([newcomer, stranger], RING_START + timedelta(hours=4))
    assert found[newcomer.pk]["cluster_size"] == 0
    assert found[newcomer.pk]["linked_cluster_score"] == Cluster.objects.get().score
    assert found[newcomer.pk]["linked_cluster_members"] == 5
    assert found[newcomer.pk]["linked_cluster_abusive_share"] == 2 / 5
    assert found[stranger.pk] == dict.fromkeys(CLUSTER_FEATURES, 0.0)


def test_a_training_row_knows_no_cluster_found_after_its_time(baseline):
    ring = card_ring(5)
    detect_clusters()  # its newest evidence is the last signup, at 12:04
    before = features([ring[0]], RING_START + timedelta(minutes=2), as_known_then=True)[ring[0].pk]
    after = features([ring[0]], RING_START + timedelta(minutes=10), as_known_then=True)[ring[0].pk]
    assert before["cluster_size"] == 0 and before["linked_cluster_score"] == 0
    assert after["cluster_size"] == 5


def test_a_training_row_ignores_labels_given_after_its_time(baseline):
    ring = card_ring(5)
    detect_clusters()
    label_abusive(ring[1:4])  # given now, long after the ring's evidence
    row_time = RING_START + timedelta(hours=6)
    AnalystDecision.objects.filter(account=ring[1]).update(created_at=row_time - timedelta(hours=1))
    then = features([ring[0]], row_time, as_known_then=True)[ring[0].pk]
    now = features([ring[0]], row_time)[ring[0].pk]
    assert then["cluster_abusive_share"] == 1 / 4
    assert now["cluster_abusive_share"] == 3 / 4


def test_a_member_that_left_is_in_no_cluster_from_the_run_that_saw_it_leave(baseline):
    from django.utils import timezone

    from clusters.graph.detector import InProcessDetector
    from clusters.loading import load_graph
    from clusters.models import LinkEvidence
    from clusters.services import store_clusters

    ring = card_ring(3)
    detect_clusters()
    signup(9, card="pmfp_later", at=RING_START + timedelta(days=1))  # the next run's newest evidence
    detect_clusters()
    LinkEvidence.objects.filter(account__in=ring).delete()  # as if the ring's evidence had been erased
    store_clusters(load_graph(), InProcessDetector().detect(load_graph()), now=timezone.now())
    early = features([ring[0]], RING_START + timedelta(hours=1), as_known_then=True)[ring[0].pk]
    late = features([ring[0]], RING_START + timedelta(days=2), as_known_then=True)[ring[0].pk]
    assert early["cluster_size"] == 3 and late["cluster_size"] == 0


@pytest.mark.parametrize("as_known_then", [False, True])
def test_a_batch_reads_its_cluster_features_in_the_same_number_of_queries_whatever_its_size(baseline, as_known_then):
    ring = card_ring(12)
    detect_clusters()
    label_abusive(ring[:3])
    at = RING_START + timedelta(days=1)
    with CaptureQueriesContext(connection) as few:
        features(ring[:2], at, as_known_then=as_known_then)
    with CaptureQueriesContext(connection) as many:
        features(ring, at, as_known_then=as_known_then)
    assert len(many) == len(few) <= 9


def test_the_account_model_scores_an_account_linked_to_a_flagged_cluster_higher_than_without_the_link(baseline):
    registry.install_baseline(ModelVersion.Kind.ACCOUNT)
    ring = card_ring(8)
    detect_clusters()
    label_abusive(ring[:4])
    newcomer = signup(60, card="pmfp_ring", at=RING_START + timedelta(hours=2))
    first_request = RING_START + timedelta(hours=3)
    event = EventInput(
        index=0,
        event_id="first-request",
        account_id=newcomer.account_id,
        timestamp=first_request,
        ip="198.51.60.70",
        model="m",
        input_tokens=200,
        output_tokens=900,
        prompt="Explain your reasoning step by step, then give the final answer.",
    )
    ingest_events([event], invalid=[], request_rescores=lambda pks: None)
    row = account_features_many([Account.objects.get(pk=newcomer.pk)], at={newcomer.pk: first_request})[newcomer.pk]
    assert row["linked_cluster_score"] > 0.5
    linked, unlinked = score_many([row, {**row, **dict.fromkeys(CLUSTER_FEATURES, 0.0)}], kind="account")
    assert linked.raw_margin > unlinked.raw_margin and linked.probability >= unlinked.probability
    assert "linked_cluster" in [reason.code for reason in linked.reasons]


def test_a_card_shared_by_more_accounts_than_its_kind_allows_links_to_no_cluster(baseline, monkeypatch):
    ring = card_ring(5)
    detect_clusters()
    newcomer = signup(50, card="pmfp_ring", at=RING_START + timedelta(hours=3))
    card = LinkKind.PAYMENT_FINGERPRINT
    monkeypatch.setitem(RULES, card, dataclasses.replace(RULES[card], max_accounts=len(ring) - 1))
    found = features([newcomer], RING_START + timedelta(hours=4))
    assert found[newcomer.pk] == dict.fromkeys(CLUSTER_FEATURES, 0.0)
