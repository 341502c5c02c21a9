"""Detection reads event time only: a run long after the evidence dates and links it by the evidence's own times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from unittest import mock

import pytest

from accounts.ingest import EventInput, ingest_events
from accounts.services import register_signup
from clusters.graph.kinds import LinkKind
from clusters.models import Cluster, ClusterMember, LinkEvidence
from clusters.services import detect_clusters
from tests.builders import signup_input
from tests.clusters.test_detection import card_ring

pytestmark = pytest.mark.django_db

A_YEAR_LATER = datetime(2027, 3, 1, tzinfo=UTC)


def test_a_run_a_year_after_the_evidence_dates_members_and_cluster_by_event_time(baseline):
    ring = card_ring(4)
    with mock.patch("django.utils.timezone.now", return_value=A_YEAR_LATER):
        detect_clusters()
    (cluster,) = Cluster.objects.filter(dissolved_at__isnull=True)
    joined = dict(ClusterMember.objects.values_list("account_id", "joined_at"))
    assert joined == {account.pk: account.created_at for account in ring}
    assert cluster.first_seen == min(a.created_at for a in ring)
    assert cluster.last_seen == max(a.created_at for a in ring)


def send_from_one_address(account_id: str, at: datetime) -> EventInput:
    event = EventInput(
        index=0,
        event_id=f"evt-{account_id}-{at:%H%M}",
        account_id=account_id,
        timestamp=at,
        ip="198.51.100.20",
        model="frontier-large",
        input_tokens=10,
        output_tokens=10,
    )
    ingest_events([event], invalid=[], request_rescores=lambda _: None)
    return event


def test_usage_addresses_link_accounts_by_the_event_time_window_not_by_when_the_events_arrive(baseline):
    accounts = [
        register_signup(
            signup=signup_input(email=f"x{i}@proton.me", ip=f"192.0.2.{i + 1}", created_at="2026-03-01T00:00:00Z")
        ).account
        for i in range(3)
    ]
    window_start = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # a multiple of the 6 h window
    times = [window_start + timedelta(minutes=30), window_start + timedelta(hours=5), window_start + timedelta(hours=7)]
    # All three arrive together, long after they happened.
    with mock.patch("django.utils.timezone.now", return_value=A_YEAR_LATER):
        events = [send_from_one_address(a.account_id, at) for a, at in zip(accounts, times, strict=True)]
        detect_clusters()
    assert len(events) == 3
    column = dict(LinkEvidence.objects.filter(kind=LinkKind.USAGE_IP).values_list("account_id", "column_key"))
    first, second, third = (column[a.pk] for a in accounts)
    assert first == second  # within one 6 h window of event time
    assert third != first  # 7 h later in event time, though it arrived with the others
