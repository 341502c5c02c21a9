"""Usage evidence, POST /api/v1/usage: each event stands alone, idempotent by event_id, prompts never stored."""

import pytest
from django.db import connection

from accounts.models import Account, UsageEvent
from accounts.services import register_signup
from tests.builders import signup_input
from tests.conftest import client_with_scopes

PROMPT = "You are a grader. Score the RESPONSE against the rubric 1-10 and justify each criterion: secret-payload-7731"


@pytest.fixture
def account(baseline):
    return register_signup(signup=signup_input()).account


@pytest.fixture
def ingest_client(db, baseline):
    return client_with_scopes("ingest")


def event(account, n, **overrides):
    body = {
        "event_id": f"evt_{n}",
        "account_id": account.account_id,
        "timestamp": f"2026-03-01T12:{n:02d}:00Z",
        "ip": "198.51.100.20",
        "model": "frontier-large-2026-02",
        "input_tokens": 812,
        "output_tokens": 1630,
        "prompt": PROMPT,
        "tool_calls": 0,
        "user_agent": "python-httpx/0.27",
    }
    body.update(overrides)
    return body


def post(client, events):
    return client.post("/api/v1/usage", {"events": events}, format="json")


def test_valid_events_are_accepted_and_invalid_ones_rejected_by_index(ingest_client, account):
    events = [
        event(account, 1),
        event(account, 2),
        event(account, 3, account_id="nobody"),
        event(account, 4, input_tokens=-5),
        event(account, 1),
    ]
    response = post(ingest_client, events)
    assert response.status_code == 202
    body = response.json()
    assert (body["accepted"], body["duplicates"]) == (2, 1)
    assert [(r["index"], r["error"]) for r in body["rejected"]] == [(2, "unknown_account"), (3, "invalid_event")]
    assert UsageEvent.objects.count() == 2


def test_resending_an_accepted_event_is_a_duplicate_and_stores_nothing(ingest_client, account):
    post(ingest_client, [event(account, 1)])
    body = post(ingest_client, [event(account, 1, output_tokens=5)]).json()
    assert (body["accepted"], body["duplicates"]) == (0, 1)
    assert UsageEvent.objects.get(event_id="evt_1").output_tokens == 1630


def test_stored_text_keeps_quotes_backslashes_and_non_ascii_exactly(ingest_client, account):
    awkward = 'r\u00e9seau "x\\y" \u6a21\u578b \U0001f600'
    response = post(ingest_client, [event(account, 1, event_id=f"evt {awkward}", model=awkward, user_agent=awkward)])
    assert response.json()["accepted"] == 1
    stored = UsageEvent.objects.get()
    assert (stored.event_id, stored.model, stored.user_agent) == (f"evt {awkward}", awkward, awkward)


def test_numbers_times_and_addresses_are_stored_as_sent(ingest_client, account):
    sent = event(account, 7, ip="2001:db8::7", input_tokens=2**31 - 1, timestamp="2026-03-01T14:07:08.123456+02:00")
    post(ingest_client, [sent])
    stored = UsageEvent.objects.get()
    assert (stored.ip, stored.input_tokens, stored.timestamp.isoformat()) == (
        "2001:db8::7",
        2**31 - 1,
        "2026-03-01T12:07:08.123456+00:00",
    )


def test_body_of_the_wrong_shape_is_400(ingest_client, account):
    response = ingest_client.post("/api/v1/usage", {"evts": []}, format="json")
    assert response.status_code == 400
    assert response.json()["error"] == "validation_error"


def test_more_than_1000_events_is_413_and_stores_nothing(ingest_client, account):
    response = post(ingest_client, [event(account, i % 60, event_id=f"e{i}") for i in range(1001)])
    assert response.status_code == 413
    assert not UsageEvent.objects.exists()


def test_raw_prompt_is_never_written_to_the_database(ingest_client, account):
    post(ingest_client, [event(account, 1)])
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            assert "secret-payload-7731" not in repr(cursor.fetchall()), table


def test_prompt_is_kept_only_as_derived_values(ingest_client, account):
    post(ingest_client, [event(account, 1)])
    stored = UsageEvent.objects.get()
    assert stored.prompt_words > 0
    assert 0 <= stored.cot_elicitation <= 1
    assert stored.category
    assert stored.template_fingerprint is not None


def test_accepted_evidence_flags_the_account_for_one_rescore(ingest_client, account):
    post(ingest_client, [event(account, 1)])
    post(ingest_client, [event(account, 2)])
    assert Account.objects.get(pk=account.pk).rescore_requested_at is not None


def test_ingest_needs_the_ingest_scope(db, baseline, account):
    assert post(client_with_scopes("read"), [event(account, 1)]).status_code == 403
