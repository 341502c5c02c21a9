"""Reuse counts: per identifier and window, in event time, capped."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from accounts.models import IdentifierKind, IdentifierSighting
from accounts.services import register_signup
from riskscore.features import reuse
from riskscore.features.identifiers import Identifier
from tests.builders import signup_input

pytestmark = pytest.mark.django_db(transaction=True)

AT = datetime(2026, 3, 8, 12, 0, tzinfo=UTC)
CARD = Identifier(IdentifierKind.PAYMENT_FINGERPRINT, "pmfp_shared")
NETWORK = Identifier(IdentifierKind.IP_PREFIX, "203.0.113.0/24")
UNSEEN = Identifier(IdentifierKind.DEVICE_ID, "never-seen")


@pytest.fixture
def sightings(baseline):
    """The card seen 0.5 h, 3 h, 30 h, 8 days before AT and 1 h after it; the network 6 times 2 h before."""
    account = register_signup(signup=signup_input()).account
    moments = {CARD: [0.5, 3, 30, 8 * 24, -1], NETWORK: [2] * 6}
    IdentifierSighting.objects.bulk_create(
        IdentifierSighting(kind=i.kind, value_key=i.value_key, account=account, seen_at=AT - timedelta(hours=hours))
        for i, hours_before in moments.items()
        for hours in hours_before
    )


def test_each_window_counts_the_sightings_up_to_the_event_time(sightings):
    counts = reuse.count_reuse([CARD, NETWORK, UNSEEN], at=AT)

    assert {window: counts[(IdentifierKind.PAYMENT_FINGERPRINT, window)] for window in reuse.WINDOWS} == {
        "1h": 1,
        "24h": 2,
        "7d": 3,  # not the one 8 days back, nor the one after AT
    }
    assert counts[(IdentifierKind.IP_PREFIX, "7d")] == 6
    assert counts[(IdentifierKind.DEVICE_ID, "7d")] == 0


def test_the_widest_count_stops_at_the_cap(sightings):
    with override_settings(REUSE_COUNT_CAP=4):
        counts = reuse.count_reuse([NETWORK], at=AT)
    assert counts[(IdentifierKind.IP_PREFIX, "7d")] == 4


def test_postgresqls_one_prepared_query_equals_the_portable_one(sightings):
    identifiers = [CARD, NETWORK, UNSEEN]
    for at in (AT, AT - timedelta(hours=1), AT + timedelta(days=2)):
        counted = reuse.count_reuse(identifiers, at=at)
        assert counted == reuse.by_identifier_kind(identifiers, reuse._count_portably(identifiers, at=at))
        assert any(counted.values())
