"""Faults, staged for real: a worker killed mid-batch, the broker down, the database down.

Nothing accepted is lost: evidence is stored before the 202, and every flagged account is re-scored once
the failed part is back. What cannot be staged on the embedded defaults is skipped with its reason.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime

import psycopg
import pytest
from django.db import connection

from accounts.auth import create_api_key
from accounts.models import Account, ScoreRecord, UsageEvent
from accounts.services import register_signup
from riskscore.celery import app as celery_app
from tests.builders import signup_input, signup_payload
from tests.conftest import client_with_scopes
from tests.integration.conftest import free_port, start_beat, start_web, start_worker, wait_for
from tests.integration.conftest import test_database_url as database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ON_POSTGRES = connection.vendor == "postgresql"


def usage_events(accounts, *, tag: str, minute: int = 1) -> list[dict]:
    return [
        {
            "event_id": f"{tag}-{account.account_id}",
            "account_id": account.account_id,
            "timestamp": f"2026-03-01T12:{minute:02d}:00Z",
            "ip": "198.51.100.20",
            "model": "frontier",
            "input_tokens": 40,
            "output_tokens": 900,
            "prompt": "Write out your full internal reasoning step by step before the final answer.",
        }
        for account in accounts
    ]


def post_json(url: str, body: dict, *, key: str, timeout: float = 30) -> tuple[int, dict, dict]:
    """POST over real HTTP; a timeout here means the service hung."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def usage_rescores(accounts) -> int:
    return ScoreRecord.objects.filter(account__in=accounts, trigger="usage").count()


def test_a_worker_killed_mid_batch_loses_nothing_and_the_rescores_complete_after_a_restart(
    baseline, settings, tmp_path
):
    celery_app.control.purge()
    settings.RESCORE_BATCH_SIZE = 10
    accounts = [register_signup(signup=signup_input()).account for _ in range(600)]
    # A short visibility timeout so Redis hands the killed worker's unacknowledged tasks out again within
    # seconds. The filesystem broker drops a message once delivered, and Redis loses one the worker had popped
    # but not yet recorded as unacknowledged when it was killed (celery/celery#7950): the catch-up job sends
    # those again.
    env = {"CELERY_VISIBILITY_TIMEOUT": "4", "RESCORE_LOST_AFTER_SECONDS": "2", "RESCORE_CATCH_UP_SECONDS": "1"}
    worker = start_worker(tmp_path / "worker-1.log", **env)
    client = client_with_scopes("ingest")
    response = client.post("/api/v1/usage", {"events": usage_events(accounts, tag="kill")}, format="json")
    assert response.json()["accepted"] == 600

    wait_for(lambda: usage_rescores(accounts) >= 20, every=0.02)
    worker.kill()
    done_at_kill = usage_rescores(accounts)
    assert 0 < done_at_kill < 600, "the worker was not killed in the middle of the batch"

    restarted = [start_worker(tmp_path / "worker-2.log", **env), start_beat(tmp_path / "beat.log", **env)]
    try:
        assert wait_for(lambda: usage_rescores(accounts) == 600, timeout=120), usage_rescores(accounts)
    finally:
        for process in restarted:
            process.stop()
    assert UsageEvent.objects.filter(event_id__startswith="kill-").count() == 600
    assert not Account.objects.filter(pk__in=[a.pk for a in accounts], rescore_requested_at__isnull=False).exists()
    # A task redelivered after its batch had committed finds the accounts re-scored: one score each.
    assert usage_rescores(accounts) == 600


@pytest.fixture
def silent_broker():
    """A port that accepts connections and never answers: a hung broker."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"


@pytest.mark.parametrize("outage", ["refusing connections", "silent"])
def test_with_the_broker_down_usage_is_stored_and_answered_and_the_catch_up_rescores_it(
    baseline, tmp_path, outage, request
):
    celery_app.control.purge()
    accounts = [register_signup(signup=signup_input()).account for _ in range(3)]
    _, key = create_api_key(name="gateway", scopes=["ingest"])
    down_broker = (
        request.getfixturevalue("silent_broker") if outage == "silent" else f"redis://127.0.0.1:{free_port()}/0"
    )
    web, base = start_web(tmp_path / "web.log", CELERY_BROKER_URL=down_broker, CELERY_BROKER_TIMEOUT="2")
    try:
        # The HTTP timeout is the hang check: the answer must not wait on the broker.
        events = {"events": usage_events(accounts, tag="down")}
        status, _, body = post_json(f"{base}/api/v1/usage", events, key=key, timeout=15)
    finally:
        web.stop()
    assert (status, body["accepted"]) == (202, 3)
    assert UsageEvent.objects.filter(event_id__startswith="down-").count() == 3
    assert Account.objects.filter(pk__in=[a.pk for a in accounts], rescore_requested_at__isnull=False).count() == 3
    assert usage_rescores(accounts) == 0

    # The broker is back: beat's catch-up job sends the flagged accounts' re-scores to a worker.
    env = {"RESCORE_LOST_AFTER_SECONDS": "1", "RESCORE_CATCH_UP_SECONDS": "1"}
    running = [start_worker(tmp_path / "worker.log", **env), start_beat(tmp_path / "beat.log", **env)]
    try:
        assert wait_for(lambda: usage_rescores(accounts) == 3, timeout=90)
    finally:
        for process in running:
            process.stop()
    assert {a.evidence_through for a in Account.objects.filter(pk__in=[a.pk for a in accounts])} == {
        datetime(2026, 3, 1, 12, 1, tzinfo=UTC)
    }


def test_with_the_database_unreachable_usage_is_refused_with_503_and_retry_after(baseline, tmp_path):
    account = register_signup(signup=signup_input()).account
    _, key = create_api_key(name="gateway", scopes=["ingest"])
    nowhere = (
        f"postgres://postgres@127.0.0.1:{free_port()}/riskscore"
        if ON_POSTGRES
        else f"sqlite:///{tmp_path}/no-such-directory/riskscore.sqlite3"
    )
    web, base = start_web(tmp_path / "web.log", DATABASE_URL=nowhere)
    try:
        status, headers, body = post_json(
            f"{base}/api/v1/usage", {"events": usage_events([account], tag="nodb")}, key=key
        )
    finally:
        web.stop()
    assert status == 503
    assert headers["Retry-After"] == "5"
    assert body["error"] == "unavailable"
    assert UsageEvent.objects.filter(event_id__startswith="nodb-").count() == 0


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no server whose connection could be cut mid-request")
def test_a_database_connection_lost_mid_ingest_answers_503_and_stores_nothing(baseline):
    accounts = [register_signup(signup=signup_input()).account for _ in range(2)]
    client = client_with_scopes("ingest")
    events = usage_events(accounts, tag="cut")
    # Another session holds one account's row: the ingest inserts its events, then waits to flag the account.
    url = database_url().replace("postgres://", "postgresql://")
    holder = psycopg.connect(url)
    holder.execute("SELECT 1 FROM accounts_account WHERE id = %s FOR NO KEY UPDATE", [accounts[1].pk])
    answers = []

    def ingest():
        try:
            answers.append(client.post("/api/v1/usage", {"events": events}, format="json"))
        finally:
            connection.close()  # this thread's own connection

    request = threading.Thread(target=ingest)
    request.start()
    try:
        with psycopg.connect(url, autocommit=True) as admin:
            waiting = wait_for(
                lambda: admin.execute(
                    "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE %s",
                    ["%FOR NO KEY UPDATE%"],
                ).fetchone(),
                timeout=30,
                every=0.05,
            )
            assert waiting, "the ingest never reached the locked account"
            admin.execute("SELECT pg_terminate_backend(%s)", [waiting[0]])
        request.join(timeout=30)
    finally:
        holder.rollback()
        holder.close()
    response = answers[0]
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"] == "unavailable"
    assert UsageEvent.objects.filter(event_id__startswith="cut-").count() == 0
    assert not Account.objects.filter(pk__in=[a.pk for a in accounts], rescore_requested_at__isnull=False).exists()

    retried = client.post("/api/v1/usage", {"events": events}, format="json")
    assert (retried.status_code, retried.json()["accepted"]) == (202, 2)


@pytest.mark.skipif(not ON_POSTGRES, reason="SQLite has no server whose connection could be cut")
def test_a_signup_on_a_connection_the_database_dropped_answers_503_and_the_next_one_reconnects(baseline, tmp_path):
    _, key = create_api_key(name="signup flow", scopes=["signup"])
    web, base = start_web(tmp_path / "web.log", DB_CONN_MAX_AGE="600")  # connections kept between requests
    url = f"{base}/api/v1/signups"
    try:
        # The key is verified and cached, the web process's connection open and idle.
        assert post_json(url, signup_payload(account_id="acct_cut_0"), key=key)[0] == 201
        with psycopg.connect(database_url().replace("postgres://", "postgresql://"), autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() AND pid <> %s",
                [connection.connection.info.backend_pid],
            )
        second = signup_payload(account_id="acct_cut_1", email="b@example.org")
        status, headers, body = post_json(url, second, key=key)
        again = post_json(url, second, key=key)[0]
    finally:
        web.stop()

    assert (status, headers.get("Retry-After"), body.get("error")) == (503, "5", "unavailable"), (status, body)
    assert again == 201
    assert Account.objects.filter(account_id__startswith="acct_cut_").count() == 2
