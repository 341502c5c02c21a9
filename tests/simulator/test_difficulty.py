"""No simple signal separates campaigns from legitimate users: both classes share identifiers, clouds and scripts."""

import ipaddress
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from functools import cache

import pytest

from riskscore.simulator import simulate_signups
from riskscore.simulator.identities import AUTOMATION_MARKERS, DISPOSABLE_DOMAINS, WEBMAIL_DOMAINS
from riskscore.simulator.institutions import LOOKALIKE_STEMS
from riskscore.simulator.networks import is_cloud_ip

ACADEMIC = re.compile(r"(\.edu$|\.edu\.[a-z]{2}$|\.ac\.[a-z]{2}$|edu|ethz\.ch$|epfl\.ch$|tum\.de$|kth\.se$)")
STRICTLY_ACADEMIC = re.compile(r"(\.edu$|\.edu\.(?!co$)[a-z]{2}$|\.ac\.[a-z]{2}$)")
INSTITUTION_STEMS = tuple(stem for stems in LOOKALIKE_STEMS.values() for stem in stems)


@cache
def signups():
    return tuple(simulate_signups(seed=31, accounts=5000, start=datetime(2026, 3, 1, tzinfo=UTC), days=30))


def _domain(s) -> str:
    return s.payload["email"].split("@")[1]


def _prefix(ip: str) -> str:
    return str(ipaddress.ip_network(f"{ip}/24" if ":" not in ip else f"{ip}/48", strict=False))


@cache
def _counts(key: str) -> Counter:
    if key == "prefix":
        return Counter(_prefix(s.payload["ip"]) for s in signups())
    return Counter(s.payload[key] for s in signups() if key in s.payload)


def _shared(s, key: str) -> bool:
    value = _prefix(s.payload["ip"]) if key == "prefix" else s.payload.get(key)
    return value is not None and _counts(key)[value] >= 2


SIGNALS = {
    "free_webmail": lambda s: _domain(s) in WEBMAIL_DOMAINS,
    "disposable_email": lambda s: _domain(s) in DISPOSABLE_DOMAINS,
    "academic_domain": lambda s: bool(ACADEMIC.search(_domain(s))),
    "cloud_ip": lambda s: is_cloud_ip(s.payload["ip"]),
    "automation_user_agent": lambda s: any(m in s.payload.get("user_agent", "") for m in AUTOMATION_MARKERS),
    "no_device_id": lambda s: "device_id" not in s.payload,
    "shared_card": lambda s: _shared(s, "payment_fingerprint"),
    "shared_device": lambda s: _shared(s, "device_id"),
    "shared_phone": lambda s: _shared(s, "phone"),
    "shared_ip": lambda s: _shared(s, "ip"),
    "shared_slash24": lambda s: _shared(s, "prefix"),
    "institution_name_in_a_non_academic_domain": lambda s: (
        any(stem in _domain(s) for stem in INSTITUTION_STEMS) and not STRICTLY_ACADEMIC.search(_domain(s))
    ),
    "plus_address": lambda s: "+" in s.payload["email"],
    "digits_in_email": lambda s: bool(re.search(r"\d{3,}", s.payload["email"].split("@")[0])),
}


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_each_simple_signal_occurs_in_both_classes(signal):
    hits = Counter(s.is_abusive for s in signups() if SIGNALS[signal](s))
    assert hits[True] > 0 and hits[False] > 0, hits


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_no_simple_signal_separates_the_classes_well(signal):
    # The AUC of a yes/no signal is the mean of its true-positive and true-negative rates.
    abusive = [SIGNALS[signal](s) for s in signups() if s.is_abusive]
    legitimate = [SIGNALS[signal](s) for s in signups() if not s.is_abusive]
    auc = 0.5 * (1 + sum(abusive) / len(abusive) - sum(legitimate) / len(legitimate))
    assert max(auc, 1 - auc) < 0.75


def test_a_campus_slash24_sees_20_legitimate_signups_within_an_hour():
    times = defaultdict(list)
    for s in signups():
        if s.population == "student":
            times[_prefix(s.payload["ip"])].append(datetime.fromisoformat(s.payload["created_at"][:-1]).timestamp())
    assert any(sum(t <= u < t + 3600 for u in ts) >= 20 for ts in times.values() for t in ts)


def test_a_legitimate_card_is_shared_by_at_least_three_accounts():
    legitimate = [s for s in signups() if not s.is_abusive]
    cards = Counter(s.payload["payment_fingerprint"] for s in legitimate if "payment_fingerprint" in s.payload)
    assert max(cards.values()) >= 3


def test_every_legitimate_population_shares_some_card_or_network():
    shared = defaultdict(bool)
    for s in signups():
        if not s.is_abusive:
            shared[s.population] |= _shared(s, "payment_fingerprint") or _shared(s, "prefix")
    assert all(shared.values()) and len(shared) == 5


def test_a_vpn_or_carrier_slash24_mixes_unrelated_legitimate_people_and_campaigns():
    members = defaultdict(set)
    for s in signups():
        members[_prefix(s.payload["ip"])].add((s.population, s.group))
    mixed = [m for m in members.values() if any(p == "campaign" for p, _ in m) and any(p != "campaign" for p, _ in m)]
    assert mixed
