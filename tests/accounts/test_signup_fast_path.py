"""The signup hook's fast path never accepts what the serializer refuses, nor reads a field differently;
what it is unsure of reaches SignupView, whose answers the contract fixes."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from django.utils import timezone

from accounts.api import SignupView
from accounts.signup_input import canonical_signup, decode_canonical_signup
from riskscore.features.signup import SignupInput
from tests.builders import signup_payload

VARIANTS = {
    "account_id": ["a", "acct:1@x.y-z_", "", " acct_1", "acct 1", "x" * 128, "x" * 129, 12, None, "ü"],
    "email": [
        "a@b.co",
        "First.Last+tag@Example.COM",
        "user@cs.stanford.edu",
        " a@b.co",
        "a@b",
        "not-an-email",
        "a@@b.co",
        "a@b.co\n",
        "x" * 310 + "@b.co",
        5,
        "",
    ],
    "pathway": ["education", "research", "startup", "enterprise", "individual", "Education", "other", "", 1],
    "ip": [
        "171.64.12.7",
        "2001:db8::1",
        "2001:DB8::1",
        "2001:0db8:0000::1",
        "::ffff:1.2.3.4",
        "010.1.1.1",
        "1.2.3",
        " 1.2.3.4",
        "1.2.3.4 ",
        "",
        1234,
    ],
    "organization": ["", "Stanford", " Stanford", "Stanford ", "x" * 200, "x" * 201, 7, None, ["a"]],
    "user_agent": ["", " curl/8.0 ", "Mozilla/5.0", "x" * 1000, "x" * 1001, None],
    "device_id": ["", "dfp_1", " dfp", "x" * 201, 3],
    "payment_fingerprint": ["", "pmfp_1", "pmfp ", 3.5],
    "phone": ["", "+14155550100", "14155550100", "+0123456789", "+1415555010012345", " +14155550100", 1],
    "country": ["", "US", "us", "GB", "XX", "USA", " US", None],
    "created_at": [
        "2026-03-01T12:00:00Z",
        "2026-03-01T12:00:00.123456Z",
        "2026-03-01T12:00:00.5+02:00",
        "2026-03-01T12:00:00-05:30",
        "2026-03-01T12:00:00",
        "2026-03-01 12:00:00Z",
        "2026-03-01T12:00:00z",
        "2026-02-30T12:00:00Z",
        "2026-03-01T25:00:00Z",
        "yesterday",
        1700000000,
        None,
    ],
}


def serializer_reading(data: dict) -> SignupInput | None:
    """The serializer's reading; a missing time is read as the view reads it, the time of receipt."""
    serializer = SignupView.InputSerializer(data=data)
    if not serializer.is_valid():
        return None
    return SignupInput(**{"created_at": timezone.now(), **serializer.validated_data})


def assert_agree(data: dict) -> bool:
    """True if the fast path took the input (and read it as the serializer does)."""
    fast = canonical_signup(data)
    if fast is None:
        return False
    expected = serializer_reading(data)
    assert expected is not None, f"fast path accepted what the serializer refuses: {data}"
    if "created_at" not in data:
        expected = dataclasses.replace(expected, created_at=fast[0].created_at)
    assert fast[0] == expected
    assert fast[1] == ("created_at" in data)
    return True


@pytest.mark.parametrize("field", sorted(VARIANTS))
def test_each_field_variant_is_read_as_the_serializer_reads_it_or_left_to_it(field):
    taken = [value for value in VARIANTS[field] if assert_agree(signup_payload(**{field: value}))]
    assert taken, f"no variant of {field} took the fast path"


def test_random_combinations_agree_with_the_serializer():
    rng = random.Random(2026)
    taken = 0
    for _ in range(1500):
        data = signup_payload()
        for field in rng.sample(sorted(VARIANTS), k=rng.randint(1, 4)):
            data[field] = rng.choice(VARIANTS[field])
        if rng.random() < 0.1:
            del data[rng.choice(sorted(data))]
        taken += assert_agree(data)
    assert 100 < taken < 1500  # both paths were exercised


def test_a_missing_time_is_the_time_of_receipt():
    data = signup_payload()
    del data["created_at"]
    signup, given = canonical_signup(data)
    assert not given
    assert abs((signup.created_at - serializer_reading(data).created_at).total_seconds()) < 5


@pytest.mark.parametrize(
    "body",
    [b"", b"{", b"[]", b'"x"', b'{"account_id": NaN}', json.dumps(signup_payload()).encode()[:-1]],
)
def test_bodies_that_are_not_a_json_object_are_left_to_the_serializer(body):
    assert decode_canonical_signup(body) is None


def test_a_canonical_body_is_decoded():
    data = signup_payload()
    signup, given = decode_canonical_signup(json.dumps(data).encode())
    assert given and signup == serializer_reading(data)
