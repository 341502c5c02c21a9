"""The link graph kept from evidence: signups and usage events become hashed link columns."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from accounts.models import Account
from accounts.services import register_signup
from clusters.graph.kinds import LinkKind
from clusters.links import ReadThrough, email_pattern, update_link_graph, usage_links
from clusters.models import LinkEvidence
from tests.builders import signup_input

pytestmark = pytest.mark.django_db


def kinds_of(account: Account) -> set[int]:
    return set(LinkEvidence.objects.filter(account=account).values_list("kind", flat=True))


def test_signup_identifiers_become_link_columns_under_keyed_hashes(baseline):
    account = register_signup(
        signup=signup_input(email="j.doe1987@northwind-labs.com", payment_fingerprint="pmfp_raw", device_id="dfp_raw")
    ).account
    update_link_graph(since=ReadThrough(0, 0, 0))
    assert kinds_of(account) >= {
        LinkKind.PAYMENT_FINGERPRINT,
        LinkKind.DEVICE_ID,
        LinkKind.SIGNUP_IP,
        LinkKind.SIGNUP_IP_PREFIX,
        LinkKind.EMAIL_DOMAIN,
        LinkKind.EMAIL_PATTERN,
        LinkKind.MAILBOX,
    }
    stored = [str(v) for v in LinkEvidence.objects.values_list("column_key", flat=True)]
    assert not any("raw" in value or "northwind" in value for value in stored)


def test_webmail_domains_do_not_link_and_real_universities_link_weakly(baseline):
    webmail = register_signup(signup=signup_input(email="someone@gmail.com")).account
    student = register_signup(signup=signup_input(email="m.lee@cs.stanford.edu")).account
    update_link_graph(since=ReadThrough(0, 0, 0))
    assert LinkKind.EMAIL_DOMAIN not in kinds_of(webmail) and LinkKind.ACADEMIC_DOMAIN not in kinds_of(webmail)
    assert LinkKind.ACADEMIC_DOMAIN in kinds_of(student)


def test_two_accounts_with_one_card_share_a_column_and_reading_again_adds_nothing(baseline):
    first = register_signup(signup=signup_input(payment_fingerprint="pmfp_shared")).account
    second = register_signup(signup=signup_input(payment_fingerprint="pmfp_shared")).account
    through = update_link_graph(since=ReadThrough(0, 0, 0))
    cards = LinkEvidence.objects.filter(kind=LinkKind.PAYMENT_FINGERPRINT, account__in=[first, second])
    assert len(set(cards.values_list("column_key", flat=True))) == 1
    count = LinkEvidence.objects.count()
    assert update_link_graph(since=through) == through
    assert LinkEvidence.objects.count() == count


def test_the_same_ip_on_other_days_is_another_column(baseline):
    early = register_signup(signup=signup_input(ip="203.0.113.9", created_at="2026-03-01T12:00:00Z")).account
    late = register_signup(signup=signup_input(ip="203.0.113.9", created_at="2026-03-09T12:00:00Z")).account
    update_link_graph(since=ReadThrough(0, 0, 0))
    keys = [
        set(LinkEvidence.objects.filter(account=a, kind=LinkKind.SIGNUP_IP).values_list("column_key", flat=True))
        for a in (early, late)
    ]
    assert not keys[0] & keys[1]


def test_usage_events_link_by_template_network_and_synchronised_hour():
    at = datetime(2026, 3, 1, 12, 5, tzinfo=UTC)
    later = datetime(2026, 3, 1, 12, 40, tzinfo=UTC)
    rows = [(1, at, "198.51.100.7", "frontier", 42, "coding"), (2, later, "198.51.100.7", "frontier", 42, "coding")]
    links = usage_links(rows)
    columns = {kind: {key for account, k, key, _ in links if k == kind and account == 1} for kind in LinkKind}
    shared = {kind: {key for account, k, key, _ in links if k == kind and account == 2} for kind in LinkKind}
    for kind in (LinkKind.USAGE_IP, LinkKind.USAGE_IP_PREFIX, LinkKind.TEMPLATE, LinkKind.SYNCHRONY):
        assert columns[kind] == shared[kind] and columns[kind], kind


def test_usage_an_hour_apart_is_not_synchronised():
    rows = [
        (1, datetime(2026, 3, 1, 12, 5, tzinfo=UTC), "198.51.100.7", "frontier", 42, "coding"),
        (2, datetime(2026, 3, 1, 14, 5, tzinfo=UTC), "198.51.100.8", "frontier", 42, "coding"),
    ]
    sync = {a: key for a, kind, key, _ in usage_links(rows) if kind == LinkKind.SYNCHRONY}
    assert sync[1] != sync[2]


def test_email_pattern_keeps_the_generator_shape_not_the_name():
    assert email_pattern("johnsmith4821") == email_pattern("maryjones1234") == "a9999"
    assert email_pattern("j.smith") != email_pattern("jsmith77")
