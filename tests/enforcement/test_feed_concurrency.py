"""Nothing committed while a gateway pages through the change feed is skipped, with two real
concurrent transactions on PostgreSQL (where id order is not commit order)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from accounts.services import DecisionInput, record_decision
from enforcement.selectors import change_feed
from tests.enforcement.builders import new_account

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writing transaction at a time"),
]


def read_all(since: str | None) -> tuple[dict[str, str], str]:
    seen, page = {}, change_feed(since=since, page_size=1000)
    seen.update({row.account_ref: row.tier for row in page.items})
    while page.more:
        page = change_feed(since=page.cursor, page_size=1000)
        seen.update({row.account_ref: row.tier for row in page.items})
    return seen, page.cursor


def in_thread(work):
    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_change_that_commits_after_a_later_one_started_is_still_delivered(baseline):
    slow, fast = new_account(), new_account()
    _, cursor = read_all(None)
    holding, release = threading.Event(), threading.Event()

    def slow_ban():
        with transaction.atomic():
            record_decision(decision=DecisionInput(slow.account_id, "abusive", "ban", ""), actor="test")
            holding.set()
            release.wait(10)

    def fast_suspend():
        record_decision(decision=DecisionInput(fast.account_id, None, "suspend", ""), actor="test")

    first = in_thread(slow_ban)
    assert holding.wait(10)
    second = in_thread(fast_suspend)
    time.sleep(0.5)  # the second writer is now as far as it can get while the first is open
    during, cursor = read_all(cursor)
    release.set()
    first.join(10)
    second.join(10)
    after, _ = read_all(cursor)
    assert during == {}
    assert after == {slow.account_id: "blocked", fast.account_id: "blocked"}


def test_a_reader_polling_throughout_many_concurrent_writers_ends_with_every_change(baseline):
    accounts = [new_account() for _ in range(12)]
    _, cursor = read_all(None)
    seen: dict[str, str] = {}

    def ban(account):
        return lambda: record_decision(decision=DecisionInput(account.account_id, None, "ban", ""), actor="t")

    writers = [in_thread(ban(a)) for a in accounts]
    while any(w.is_alive() for w in writers):
        changes, cursor = read_all(cursor)
        seen.update(changes)
    for writer in writers:
        writer.join(10)
    changes, cursor = read_all(cursor)
    seen.update(changes)
    assert seen == {a.account_id: "blocked" for a in accounts}
