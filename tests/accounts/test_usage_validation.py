"""Each usage event is validated on its own: a bad field rejects that event alone, naming the field."""

import json

import pytest

from accounts.models import UsageEvent
from accounts.services import register_signup
from tests.builders import signup_input
from tests.conftest import client_with_scopes


@pytest.fixture
def account(baseline):
    return register_signup(signup=signup_input()).account


def valid_event(account, n=1, **overrides):
    body = {
        "event_id": f"val_{n}",
        "account_id": account.account_id,
        "timestamp": "2026-03-01T12:00:00+02:00",
        "ip": "2001:DB8:0:0:0:0:0:1",
        "model": "frontier",
        "input_tokens": 1,
        "output_tokens": 2,
    }
    body.update(overrides)
    return body


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timestamp": "2026-03-01T12:00:00"}, "timestamp"),  # no zone
        ({"timestamp": "yesterday"}, "timestamp"),
        ({"ip": "300.1.1.1"}, "ip"),
        ({"input_tokens": -1}, "input_tokens"),
        ({"output_tokens": "12"}, "output_tokens"),
        ({"tool_calls": 1.5}, "tool_calls"),
        ({"prompt": None}, "prompt"),
        ({"prompt": 42}, "prompt"),
        ({"event_id": ""}, "event_id"),
        ({"event_id": "bad\ud800id"}, "event_id"),
        ({"model": "a\x00b"}, "model"),
        ({"account_id": "has spaces"}, "account_id"),
        ({"user_agent": "x" * 501}, "user_agent"),
    ],
)
def test_an_invalid_field_rejects_its_event_alone_and_names_the_field(account, overrides, field):
    client = client_with_scopes("ingest")
    events = [valid_event(account, 1), valid_event(account, 2, **overrides)]
    # Sent as ASCII JSON, so escapes such as a lone surrogate arrive as a gateway would send them.
    body = client.generic("POST", "/api/v1/usage", json.dumps({"events": events}), "application/json").json()
    assert body["accepted"] == 1
    [rejection] = body["rejected"]
    assert (rejection["index"], rejection["error"]) == (1, "invalid_event")
    assert field in rejection["detail"]
    assert list(UsageEvent.objects.values_list("event_id", flat=True)) == ["val_1"]


def test_a_missing_required_field_is_named(account):
    client = client_with_scopes("ingest")
    event = valid_event(account)
    del event["model"]
    [rejection] = client.post("/api/v1/usage", {"events": [event]}, format="json").json()["rejected"]
    assert "model" in rejection["detail"]


def test_an_event_that_is_not_an_object_is_rejected(account):
    client = client_with_scopes("ingest")
    body = client.post("/api/v1/usage", {"events": ["evt", valid_event(account)]}, format="json").json()
    assert (body["accepted"], body["rejected"][0]["detail"]) == (1, "not an object")


def test_times_are_stored_in_utc_and_ipv6_normalised(account):
    client = client_with_scopes("ingest")
    client.post("/api/v1/usage", {"events": [valid_event(account)]}, format="json")
    stored = UsageEvent.objects.get()
    assert stored.timestamp.isoformat() == "2026-03-01T10:00:00+00:00"
    assert stored.ip == "2001:db8::1"
