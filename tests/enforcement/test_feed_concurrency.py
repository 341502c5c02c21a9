"""Nothing committed while a gateway pages through the change feed is skipped, with two real
concurrent transactions on PostgreSQL (where id order is not commit order)."""

from __future__ import annotations

import copy
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


def test_a_signup_waits_for_the_feed_lock_and_its_entry_is_delivered_after_an_open_ban(baseline):
    """The signup takes its feed position inside its own statement (enforcement_next_feed_position):
    it must still queue behind a writer holding the feed lock, and never be skipped by a reader."""
    banned = new_account()
    _, cursor = read_all(None)
    holding, release = threading.Event(), threading.Event()
    signed_up: list[str] = []

    def slow_ban():
        with transaction.atomic():
            record_decision(decision=DecisionInput(banned.account_id, "abusive", "ban", ""), actor="test")
            holding.set()
            release.wait(10)

    first = in_thread(slow_ban)
    assert holding.wait(10)
    second = in_thread(lambda: signed_up.append(new_account().account_id))
    time.sleep(0.5)
    during, cursor = read_all(cursor)
    assert signed_up == []  # the signup is waiting for the lock, not past it
    release.set()
    first.join(10)
    second.join(10)
    after, _ = read_all(cursor)
    assert during == {}
    assert after == {banned.account_id: "blocked", signed_up[0]: "probation"}


def test_a_signup_decided_under_a_replaced_policy_is_written_under_the_newest(baseline):
    from enforcement.models import Enforcement, EnforcementPolicy
    from enforcement.policy import DEFAULT_ENFORCEMENT_POLICY, current_enforcement_policy, version_name

    current_enforcement_policy.get()  # this process caches the policy in force...
    newest = (EnforcementPolicy.objects.order_by("-version").values_list("version", flat=True).first() or 0) + 1
    document = copy.deepcopy(DEFAULT_ENFORCEMENT_POLICY)
    document["tiers"]["probation"]["requests_per_minute"] = 7
    EnforcementPolicy.objects.create(version=newest, document=document, created_by="another process")  # ...stale now
    account = new_account()
    state = Enforcement.objects.get(account__account_id=account.account_id)
    assert state.policy_version == version_name(newest)
    assert (state.tier, state.requests_per_minute) == ("probation", 7)
